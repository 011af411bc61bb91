"""The ``wlc`` command line end to end: real container, real adapters, the sandbox over loopback HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.errors import ExitCode
from app.sandbox_settings import sandbox_toml
from sandbox.config import SandboxConfig
from sandbox.population import MemberState, RowKind, worker_at
from sandbox.server import SandboxServer

runner = CliRunner(env={"COLUMNS": "400"})


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(workers=300, seed=3)) as server:
        yield server


@pytest.fixture
def config(sandbox: SandboxServer, tmp_path: Path) -> Path:
    path = tmp_path / "wlc.toml"
    ledger = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    path.write_text(sandbox_toml(sandbox.base_url, sandbox.config, ledger), encoding="utf-8")
    return path


def wlc(config: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--config", str(config), *args])
    return result.exit_code, result.output


def test_plan_as_json_lists_every_action_with_its_reason_and_changes_nothing(
    config: Path, sandbox: SandboxServer
) -> None:
    before = sandbox.lumiq.members()
    code, output = wlc(config, "membership", "plan", "--json")
    assert code == ExitCode.DONE
    plan = json.loads(output)
    assert plan["summary"]["report_rows"] == 300
    assert plan["summary"]["invite"] == len(plan["invites"]) > 0
    assert all(action["why"] for action in plan["invites"] + plan["updates"] + plan["removals"])
    assert all(row["field"] and row["reason"] for row in plan["rejected"])
    assert sandbox.lumiq.members() == before


def test_sync_applies_the_plan_and_a_second_plan_is_empty(config: Path) -> None:
    planned = json.loads(wlc(config, "membership", "plan", "--json")[1])["summary"]
    code, output = wlc(config, "membership", "sync")
    assert code == ExitCode.DONE, output
    assert (
        f"Run 1 succeeded: invited {planned['invite']}, updated {planned['update']}, removed {planned['remove']}; "
        "0 failed." in output
    )
    code, output = wlc(config, "membership", "plan", "--json")
    summary = json.loads(output)["summary"]
    assert (summary["invite"], summary["update"], summary["remove"]) == (0, 0, 0)


def test_a_blocked_sync_exits_3_and_removes_no_one_until_forced(config: Path, sandbox: SandboxServer) -> None:
    sandbox.faults.report_rows_override = 20
    seats = sum(1 for m in sandbox.lumiq.members() if m.status != "removed")

    code, output = wlc(config, "membership", "sync")
    assert code == ExitCode.BLOCKED
    assert "truncated" in output
    assert sum(1 for m in sandbox.lumiq.members() if m.status != "removed") == seats

    code, output = wlc(config, "membership", "sync", "--force")
    assert code == ExitCode.DONE, output
    assert sum(1 for m in sandbox.lumiq.members() if m.status != "removed") < seats


def seats(sandbox: SandboxServer) -> int:
    return sum(1 for m in sandbox.lumiq.members() if m.status != "removed")


def test_a_blocked_plan_is_applied_as_kept_once_an_operator_approves_it(config: Path, sandbox: SandboxServer) -> None:
    sandbox.faults.report_rows_override = 20
    before = seats(sandbox)
    code, output = wlc(config, "membership", "sync")
    assert code == ExitCode.BLOCKED
    assert "wlc membership approve 1" in output
    sandbox.faults.report_rows_override = None  # the report is whole again: approval still applies the plan kept

    code, output = wlc(config, "membership", "approve", "1", "--by", "Ada Lovelace")

    assert code == ExitCode.DONE, output
    assert "approved by Ada Lovelace" in output
    assert seats(sandbox) < before
    code, output = wlc(config, "runs", "show", "1", "--limit", "3")
    assert "Ada Lovelace" in output
    assert "applied" in output
    code, output = wlc(config, "membership", "approve", "1", "--by", "Bob")
    assert code == ExitCode.USAGE
    assert "already approved by Ada Lovelace" in output


def test_a_rejected_plan_is_never_applied_and_a_stale_one_cannot_be_approved(
    config: Path, sandbox: SandboxServer
) -> None:
    sandbox.faults.report_rows_override = 20
    before = seats(sandbox)
    assert wlc(config, "membership", "sync")[0] == ExitCode.BLOCKED
    assert wlc(config, "membership", "sync")[0] == ExitCode.BLOCKED

    code, output = wlc(config, "membership", "approve", "1", "--by", "ada")
    assert code == ExitCode.USAGE
    assert "stale: membership run 2 came after it" in output

    code, output = wlc(config, "membership", "reject", "2", "--by", "ada")
    assert code == ExitCode.DONE, output
    assert "rejected by ada" in output
    code, output = wlc(config, "membership", "approve", "2", "--by", "bob")
    assert code == ExitCode.USAGE
    assert "rejected by ada" in output
    assert seats(sandbox) == before


def test_status_shows_each_tenants_runs_blocked_plan_rejected_rows_and_token(
    config: Path, sandbox: SandboxServer
) -> None:
    assert wlc(config, "membership", "sync")[0] == ExitCode.DONE
    sandbox.faults.report_rows_override = 20
    assert wlc(config, "membership", "sync")[0] == ExitCode.BLOCKED

    code, output = wlc(config, "status")
    assert code == ExitCode.DONE, output
    assert "ok " in output
    assert "(run 1)" in output
    assert "blocked plan: run 2" in output
    assert "wlc membership approve 2" in output
    assert "granted" in output

    code, output = wlc(config, "status", "--json")
    assert code == ExitCode.DONE, output
    (status,) = json.loads(output)
    assert status["runs"]["membership"]["last_success"]["run"] == 1
    assert status["blocked_plan"]["run"] == 2
    assert status["rejected_rows"]["run"] == 2
    assert status["refresh_token"]["last_success"] is not None
    assert status["rate_limit"] == {"requests_last_minute": None}

    code, output = wlc(config, "status", "--tenant", "nope")
    assert code == ExitCode.USAGE
    assert "'nope' is not configured" in output


def test_an_unreadable_report_exits_1_with_the_reason(config: Path, sandbox: SandboxServer) -> None:
    sandbox.faults.truncate_report_after = 50
    code, output = wlc(config, "membership", "sync")
    assert code == ExitCode.SOME_FAILED
    assert "cut short" in output


def test_runs_are_listed_and_shown_from_the_ledger(config: Path) -> None:
    wlc(config, "membership", "sync")
    code, output = wlc(config, "runs", "list")
    assert code == ExitCode.DONE
    assert "membership" in output
    assert "succeeded" in output
    code, output = wlc(config, "runs", "show", "1", "--limit", "5")
    assert code == ExitCode.DONE
    assert "invite" in output


def test_configuration_problems_exit_2_with_a_message(tmp_path: Path) -> None:
    code, _ = wlc(tmp_path / "missing.toml", "membership", "plan")
    assert code == ExitCode.USAGE
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    code, _ = wlc(empty, "membership", "plan")
    assert code == ExitCode.USAGE


def _first_invite(config: SandboxConfig) -> int:
    """The report row of the first worker the first plan invites (active, no member yet)."""
    return next(
        i
        for i in range(config.workers)
        if (w := worker_at(config, i)).kind is RowKind.ACTIVE and w.member_state is MemberState.NONE
    )


def test_a_name_that_looks_like_markup_is_printed_as_written(config: Path, sandbox: SandboxServer) -> None:
    row = _first_invite(sandbox.config)
    sandbox.faults.report_edits = {row: {"last_name": "[red]Mitzner[/red]"}}
    code, output = wlc(config, "membership", "plan", "--limit", "1000")
    assert code == ExitCode.DONE, output
    assert "[red]Mitzner[/red]" in output

    code, output = wlc(config, "membership", "sync")
    assert code == ExitCode.DONE, output
    code, output = wlc(config, "runs", "show", "1", "--limit", "1000")
    assert "[red]Mitzner[/red]" in output


def test_a_configuration_error_naming_a_table_prints_the_table(config: Path) -> None:
    without_oauth = config.read_text(encoding="utf-8").split("[tenants.sandbox.oauth]")[0]
    config.write_text(
        without_oauth + '[tenants.sandbox.lumiq]\nbase_url = "http://127.0.0.1:1/lumiq"\napi_key = "k"\n',
        encoding="utf-8",
    )
    code, output = wlc(config, "membership", "plan")
    assert code == ExitCode.USAGE
    assert "[oauth]" in output, output


def test_a_mistyped_setting_is_named_with_the_setting_it_was_meant_to_be(config: Path) -> None:
    config.write_text(config.read_text(encoding="utf-8").replace("rate_limit =", "rate_limt ="), encoding="utf-8")
    code, output = wlc(config, "membership", "plan")
    assert code == ExitCode.USAGE
    assert "tenants.sandbox.learning.rate_limt: is not a setting; did you mean rate_limit?" in output
    assert "pydantic" not in output


def test_a_report_with_renamed_columns_fails_once_naming_its_columns_and_removes_no_one(tmp_path: Path) -> None:
    renamed = {"wid": "Worker_ID", "first_name": "First", "last_name": "Last", "employee_id": "Employee"}
    with SandboxServer(SandboxConfig(workers=300, seed=3, column_aliases=renamed)) as sandbox:
        config = tmp_path / "wlc.toml"
        ledger = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
        config.write_text(sandbox_toml(sandbox.base_url, sandbox.config, ledger), encoding="utf-8")
        before = sandbox.lumiq.members()

        code, output = wlc(config, "membership", "sync")

        assert code == ExitCode.SOME_FAILED
        assert output.count("the report's columns do not match") == 1, output
        assert "Expected wid, first_name, last_name, employee_id, termination_date" in output
        assert "found Worker_ID, First, Last, Employee" in output
        assert "[tenants.sandbox.raas.columns]" in output
        assert "row 1" not in output
        assert sandbox.lumiq.members() == before
