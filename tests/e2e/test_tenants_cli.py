"""``wlc tenants``, ``wlc schedules`` and ``wlc secrets`` end to end, on the sandbox's settings: a tenant added
from a file is served like one of wlc.toml (a plan against the sandbox), edits are checked as the file is,
secrets never print, and keys rotate."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from app.cli.main import cli
from app.errors import ExitCode
from app.sandbox_settings import sandbox_toml
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer

runner = CliRunner(env={"COLUMNS": "400"})
CONFIG = SandboxConfig(workers=40, seed=3)
SECRETS = (CONFIG.client_secret, CONFIG.refresh_token, CONFIG.isu_password, CONFIG.lumiq_api_key)
OFFLINE = "http://127.0.0.1:9"
"""Where no sandbox runs: commands that only manage tenants never call it."""


def write_config(tmp_path: Path, base_url: str = OFFLINE) -> Path:
    path = tmp_path / "wlc.toml"
    path.write_text(sandbox_toml(base_url, CONFIG, f"sqlite:///{tmp_path / 'ledger.sqlite3'}"), encoding="utf-8")
    return path


def one_tenant_file(config: Path) -> Path:
    """The sandbox tenant's table of ``config`` as a file of its own (the shape ``wlc tenants add`` reads)."""
    lines = config.read_text(encoding="utf-8").splitlines()
    body = [
        line.replace("[tenants.sandbox.", "[")
        for line in lines
        if not line.startswith(("ledger_url", "default_tenant", "[tenants.sandbox]"))
    ]
    path = config.with_name("second.toml")
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path


def wlc(config: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(cli, ["--config", str(config), *args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(CONFIG) as server:
        yield server


def test_a_tenant_added_from_a_file_is_served_as_one_of_the_configuration_file(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, sandbox.base_url)

    code, output = wlc(config, "tenants", "add", "second", "--file", str(one_tenant_file(config)))
    assert code == ExitCode.DONE, output
    assert "Tenant second: active, version 1, from admin" in output

    code, output = wlc(config, "--tenant", "second", "membership", "plan", "--json")
    assert code == ExitCode.DONE, output
    assert json.loads(output)["summary"]["report_rows"] == 40


def test_list_and_show_tell_every_tenant_and_never_a_secret(config: Path) -> None:
    wlc(config, "tenants", "add", "second", "--file", str(one_tenant_file(config)))

    code, listed = wlc(config, "tenants", "list")
    assert code == ExitCode.DONE, listed
    assert "sandbox" in listed
    assert "second" in listed
    code, shown = wlc(config, "tenants", "show", "sandbox")
    assert code == ExitCode.DONE, shown
    assert "from file" in shown
    assert 'oauth.client_secret = "**********"' in shown
    assert 'learning.version = "v44.2"' in shown
    _, as_json = wlc(config, "tenants", "show", "second", "--json")
    assert json.loads(as_json)["secrets_set"] == [
        "isu.password",
        "lumiq.api_key",
        "oauth.client_secret",
        "oauth.refresh_token",
    ]
    for secret in SECRETS:
        assert secret not in listed + shown + as_json


def test_an_edit_is_checked_as_the_configuration_file_is_and_grows_the_version(config: Path) -> None:
    code, output = wlc(config, "tenants", "edit", "sandbox", "--set", "learning.rate_limit=7", "--set", "timezone=UTC")
    assert code == ExitCode.DONE, output
    assert "version 2" in output
    assert "learning.rate_limit = 7" in wlc(config, "tenants", "show", "sandbox")[1]

    code, output = wlc(config, "tenants", "edit", "sandbox", "--set", "learning.rate_limit=0")
    assert code == ExitCode.USAGE
    assert "learning.rate_limit: should be greater than or equal to 1, not 0" in output
    code, output = wlc(config, "tenants", "edit", "sandbox", "--set", "learning.rate_limt=3")
    assert code == ExitCode.USAGE
    assert "learning.rate_limt: is not a setting; did you mean rate_limit?" in output
    code, output = wlc(config, "tenants", "edit", "sandbox", "--set", "oauth.client_secret=")
    assert code == ExitCode.DONE, output  # an empty secret is still a secret: it is sealed, never shown
    assert "Traceback" not in output
    assert "version 3" in wlc(config, "tenants", "show", "sandbox")[1]


def test_a_file_edit_survives_the_next_start_and_a_changed_file_wins(config: Path) -> None:
    wlc(config, "tenants", "edit", "sandbox", "--set", "learning.rate_limit=7")
    assert "learning.rate_limit = 7" in wlc(config, "tenants", "show", "sandbox")[1]  # the file did not change

    config.write_text(re.sub(r"rate_limit = \d+", "rate_limit = 9", config.read_text()), encoding="utf-8")

    shown = wlc(config, "tenants", "show", "sandbox")[1]
    assert "learning.rate_limit = 9" in shown
    assert "from file" in shown


def test_pause_resume_and_remove_which_asks_for_yes_and_says_what_stays(config: Path) -> None:
    wlc(config, "tenants", "add", "second", "--file", str(one_tenant_file(config)))
    assert "second: paused" in wlc(config, "tenants", "pause", "second")[1]
    assert "second: active" in wlc(config, "tenants", "resume", "second")[1]

    code, output = wlc(config, "tenants", "remove", "second")
    assert code == ExitCode.USAGE
    assert "needs --yes" in output
    assert "its runs (0), its outbox entries (0), its deliveries (0)" in output
    code, output = wlc(config, "tenants", "remove", "second", "--yes")
    assert code == ExitCode.DONE, output
    assert "Removed tenant second" in output
    assert "second" not in wlc(config, "tenants", "list")[1]

    code, output = wlc(config, "tenants", "remove", "sandbox", "--yes")
    assert code == ExitCode.USAGE
    assert "remove it from the file first" in output


def test_schedules_are_listed_set_paused_and_resumed(config: Path) -> None:
    code, output = wlc(config, "schedules", "list")
    assert code == ExitCode.DONE, output
    assert "daily at 06:00" in output
    assert "0 6 * * *" in output

    assert "*/15 * * * *" in wlc(config, "schedules", "set", "sandbox", "transcripts", "15")[1]
    assert "(fixing)" in wlc(config, "schedules", "set", "sandbox", "reconcile", "sat 03:15", "--fix")[1]
    assert "15 3 * * 6" in wlc(config, "schedules", "list", "sandbox")[1]
    off = wlc(config, "schedules", "set", "sandbox", "membership", "off")[1]
    assert "0 6 * * *" not in off

    code, output = wlc(config, "schedules", "set", "sandbox", "transcripts", "7")
    assert code == ExitCode.USAGE
    assert "schedules.transcripts_every_minutes: 7 is not one of" in output

    paused = wlc(config, "schedules", "pause", "sandbox", "transcripts")[1]
    assert paused.count("paused") == 1
    resumed = wlc(config, "schedules", "resume", "sandbox")[1]
    assert "paused" not in resumed


def test_rotation_makes_the_old_key_unnecessary_and_then_useless(config: Path) -> None:
    old, new = Fernet.generate_key().decode(), wlc(config, "secrets", "new-key")[1].strip()
    Fernet(new.encode())  # a valid key
    edit = ("tenants", "edit", "sandbox", "--set", "learning.rate_limit=8")

    assert wlc(config, "tenants", "list", env={"WLC_SECRET_KEYS": old})[0] == ExitCode.DONE
    code, output = wlc(config, "secrets", "rotate", env={"WLC_SECRET_KEYS": f"{new},{old}"})
    assert code == ExitCode.DONE, output
    assert "4 tenant secrets" in output

    assert wlc(config, *edit, env={"WLC_SECRET_KEYS": new})[0] == ExitCode.DONE
    code, output = wlc(config, *edit, env={"WLC_SECRET_KEYS": old})
    assert code == ExitCode.USAGE
    assert "cannot be decrypted with the keys of WLC_SECRET_KEYS (setting secret_keys)" in output
    assert "tenant sandbox's" in output
    for secret in (*SECRETS, old, new):
        assert secret not in output


def test_a_wrong_missing_or_malformed_key_is_an_error_naming_the_setting(config: Path, tmp_path: Path) -> None:
    edit = ("tenants", "edit", "sandbox", "--set", "learning.rate_limit=8")
    assert wlc(config, "tenants", "list")[0] == ExitCode.DONE  # seals with the key file made beside the ledger
    key_file = tmp_path / "wlc-secret.key"
    assert key_file.stat().st_mode & 0o777 == 0o600

    code, wrong = wlc(config, *edit, env={"WLC_SECRET_KEYS": Fernet.generate_key().decode()})
    assert code == ExitCode.USAGE
    assert "WLC_SECRET_KEYS (setting secret_keys)" in wrong
    code, malformed = wlc(config, *edit, env={"WLC_SECRET_KEYS": "not-a-key"})
    assert code == ExitCode.USAGE
    assert "WLC_SECRET_KEYS (setting secret_keys): key 1 is not a Fernet key" in malformed
    assert "not-a-key" not in malformed
    key_file.rename(tmp_path / "elsewhere.key")
    code, missing = wlc(config, *edit)
    assert code == ExitCode.USAGE
    assert f"the key file {key_file}" in missing
    assert "is missing" in missing
    code, named = wlc(config, *edit, env={"WLC_SECRET_KEY_FILE": str(tmp_path / "elsewhere.key")})
    assert code == ExitCode.DONE, named
    for output in (wrong, malformed, missing):
        assert "Traceback" not in output
