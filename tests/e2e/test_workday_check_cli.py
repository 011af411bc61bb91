"""``wlc workday check`` end to end against the sandbox: what will work on a tenant, said before any write. The
credentials (OAuth or ISU), the report's columns and first rows, the WSDLs, each feature; exit 0 all OK, 1 some
degraded or unavailable, 2 cannot connect. It writes nothing to Workday and nothing to the ledger but a refresh
token Workday rotated. (Each WSDL variant's findings are in ``test_wsdl_variants_cli``.)"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.errors import ExitCode
from app.sandbox_settings import sandbox_toml
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer, listening_socket

runner = CliRunner(env={"COLUMNS": "400"})


def configured(sandbox: SandboxServer, folder: Path, **replace: tuple[str, str]) -> Path:
    """A ``wlc.toml`` for ``sandbox`` with each ``(old, new)`` text replacement of ``replace`` (keys name them)."""
    text = sandbox_toml(sandbox.base_url, sandbox.config, f"sqlite:///{folder / 'ledger.sqlite3'}")
    for old, new in replace.values():
        assert old in text
        text = text.replace(old, new)
    path = folder / "wlc.toml"
    path.write_text(text, encoding="utf-8")
    return path


def check(config: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--config", str(config), "workday", "check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, " ".join(result.output.replace("│", " ").split())


def rows_by_table(ledger: Path) -> dict[str, int]:
    with sqlite3.connect(ledger) as connection:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608 - the ledger's own table names


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(workers=300, seed=3, completions=20, rotate_refresh_tokens=True)) as server:
        yield server


def test_the_sandbox_passes_every_check_and_nothing_is_written_but_the_rotated_refresh_token(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    courses, enrollments = sandbox.learning.courses(), sandbox.enrollments.enrollments()

    code, output = check(configured(sandbox, tmp_path))

    assert code == ExitCode.DONE, output
    for line in ("OAuth OK", "report OK", "Learning OK", "Talent OK", "transcripts OK", "skills OK", "Result: OK"):
        assert line in output, output
    assert "its first 100 rows read" in output
    assert "Grade IDs: PASS for a pass and FAIL for a fail" in output
    assert "cannot be checked before a completion is sent" in output
    assert sandbox.learning.manage_calls == 0
    assert not sandbox.workday_learning.contents()
    assert not sandbox.workday_learning.records()
    assert (sandbox.learning.courses(), sandbox.enrollments.enrollments()) == (courses, enrollments)
    written = {table: rows for table, rows in rows_by_table(tmp_path / "ledger.sqlite3").items() if rows}
    # The tenant imported from wlc.toml at start; the token the sandbox rotated on the grant, kept, and the grant
    # recorded for the tenant's status.
    assert written == {"tenants": 1, "oauth_refresh_tokens": 1, "oauth_token_health": 1}


def test_check_wsdl_is_the_same_check(sandbox: SandboxServer, tmp_path: Path) -> None:
    config = configured(sandbox, tmp_path)

    result = runner.invoke(cli, ["--config", str(config), "workday", "check-wsdl", "--json"])

    assert result.exit_code == ExitCode.DONE, result.output
    assert json.loads(result.output)["result"] == "OK"


def test_a_refused_refresh_token_cannot_connect_and_nothing_else_is_tried(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    token = sandbox.config.refresh_token
    config = configured(sandbox, tmp_path, token=(f'refresh_token = "{token}"', 'refresh_token = "revoked"'))

    code, output = check(config)

    assert code == ExitCode.CANNOT_CONNECT, output
    assert "OAuth cannot connect refresh token expired or revoked" in output
    assert "report cannot connect not checked: no OAuth access token" in output
    assert "Learning cannot connect not checked" in output
    assert "Result: cannot connect" in output


def test_an_unreachable_host_cannot_connect(tmp_path: Path) -> None:
    with listening_socket("127.0.0.1", 0) as closed:
        port = closed.getsockname()[1]
    with SandboxServer(SandboxConfig(workers=5)) as sandbox:
        config = configured(sandbox, tmp_path, host=(sandbox.base_url, f"http://127.0.0.1:{port}"))

    code, output = check(config, "--json")

    assert code == ExitCode.CANNOT_CONNECT
    found = json.loads(output)
    assert found["exit_code"] == 2
    oauth = next(c for c in found["checks"] if c["name"] == "OAuth")
    assert oauth["result"] == "cannot connect"
    assert "could not be reached" in oauth["detail"]


def test_a_wsdl_that_cannot_be_loaded_cannot_connect_and_its_features_say_why(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    missing = f"{sandbox.base_url}/ccx/service/acme/Learning/v44.2/nothing-here"
    config = configured(sandbox, tmp_path, wsdl=('version = "v44.2"', f'version = "v44.2"\nwsdl = "{missing}"'))

    code, output = check(config)

    assert code == ExitCode.CANNOT_CONNECT, output
    assert f"Learning cannot connect the WSDL {missing} answered HTTP 404" in output
    assert "transcripts unavailable the Learning service could not be used: the WSDL" in output
    assert "Talent OK" in output
    assert "skills OK" in output


def test_isu_credentials_are_checked_where_they_are_used(sandbox: SandboxServer, tmp_path: Path) -> None:
    isu = {"report": ('auth = "oauth"\n\n[tenants.sandbox.oauth]', 'auth = "isu"\n\n[tenants.sandbox.oauth]')}
    soap = {"learning": ('auth = "oauth"\nrate_limit', 'auth = "isu"\nrate_limit')}
    config = configured(sandbox, tmp_path, **isu, **soap)

    code, output = check(config)

    assert code == ExitCode.DONE, output
    assert "ISU OK ISU_LumiQ accepted by report, Learning and Talent" in output
    assert "OAuth" not in output


def test_a_refused_isu_password_cannot_connect_naming_where(sandbox: SandboxServer, tmp_path: Path) -> None:
    password = sandbox.config.isu_password
    config = configured(
        sandbox,
        tmp_path,
        learning=('auth = "oauth"\nrate_limit', 'auth = "isu"\nrate_limit'),
        password=(f'password = "{password}"', 'password = "wrong"'),
    )

    code, output = check(config)

    assert code == ExitCode.CANNOT_CONNECT, output
    assert "ISU cannot connect ISU_LumiQ refused by Learning and Talent" in output
    assert "report OK" in output  # by OAuth


def test_a_report_with_renamed_columns_is_unavailable_naming_the_columns(tmp_path: Path) -> None:
    renamed = {"wid": "Worker_ID", "first_name": "First", "last_name": "Last", "employee_id": "Employee"}
    with SandboxServer(SandboxConfig(workers=300, seed=3, column_aliases=renamed)) as sandbox:
        code, output = check(configured(sandbox, tmp_path))

    assert code == ExitCode.SOME_FAILED, output
    assert "report unavailable the report's columns do not match" in output
    assert "Expected wid, first_name, last_name, employee_id, termination_date" in output
    assert "found Worker_ID, First, Last, Employee" in output
    assert "[tenants.sandbox.raas.columns]" in output
    assert "transcripts OK" in output


def test_only_the_reports_first_rows_are_read(tmp_path: Path) -> None:
    with SandboxServer(SandboxConfig(workers=1000, seed=3)) as sandbox:
        sandbox.faults.truncate_report_after = 150  # a whole read would end cut short
        code, output = check(configured(sandbox, tmp_path))

    assert code == ExitCode.DONE, output
    assert "report OK" in output
    assert "its first 100 rows read" in output


def test_rows_that_do_not_parse_are_named(tmp_path: Path) -> None:
    with SandboxServer(SandboxConfig(workers=300, seed=3)) as sandbox:
        sandbox.faults.report_edits = {1: {"wid": "not-a-wid"}}
        code, output = check(configured(sandbox, tmp_path))

    assert code == ExitCode.DONE, output
    assert "99 parse, 1 rejected (row 2: wid:" in output


def test_a_renamed_termination_date_column_that_rows_may_leave_empty_is_found_in_the_reports_xsd(
    tmp_path: Path,
) -> None:
    with SandboxServer(SandboxConfig(workers=300, seed=3, column_aliases={"termination_date": "Term_Date"})) as sandbox:
        code, output = check(configured(sandbox, tmp_path))

    assert code == ExitCode.SOME_FAILED, output
    assert "report unavailable the report's XSD declares no column termination_date" in output
    assert "map it under [tenants.sandbox.raas.columns]" in output


def test_a_report_without_the_optional_email_column_is_ok_and_says_so(tmp_path: Path) -> None:
    with SandboxServer(SandboxConfig(workers=300, seed=3, include_email=False)) as sandbox:
        code, output = check(configured(sandbox, tmp_path))

    assert code == ExitCode.DONE, output
    assert "termination_date are there (email, optional, is not)" in output
