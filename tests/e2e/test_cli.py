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
from sandbox.server import SandboxServer

runner = CliRunner()


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
    code, output = wlc(config, "membership", "sync")
    assert code == ExitCode.DONE, output
    assert "succeeded" in output
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
