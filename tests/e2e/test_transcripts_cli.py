"""``wlc transcripts`` end to end: real container, SOAP over loopback to the sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from app.cli.main import cli
from app.errors import ExitCode
from app.sandbox_settings import sandbox_toml
from sandbox.config import SandboxConfig
from sandbox.population import worker_by_employee_id
from sandbox.server import SandboxServer

runner = CliRunner()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(workers=300, seed=9, completions=120, soap_rate_limit=100)) as server:
        yield server


@pytest.fixture(scope="module")
def config(sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("transcripts")
    path = folder / "wlc.toml"
    path.write_text(sandbox_toml(sandbox.base_url, sandbox.config, f"sqlite:///{folder / 'l.db'}"), encoding="utf-8")
    return path


def wlc(config: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--config", str(config), *args])
    return result.exit_code, result.output


def test_plan_sync_and_sync_again(config: Path, sandbox: SandboxServer) -> None:
    code, output = wlc(config, "transcripts", "plan", "--json")
    assert code == ExitCode.DONE
    plan = json.loads(output)
    assert [r["spreadsheet_key"] for r in plan["records"]] == list(range(1, len(plan["records"]) + 1))
    assert all(r["grade"] == "PASS" for r in plan["records"])

    code, output = wlc(config, "transcripts", "sync")
    assert code in (ExitCode.DONE, ExitCode.SOME_FAILED), output
    stored = {r.id for r in sandbox.workday_learning.records()}
    known = {
        r["id"] for r in plan["records"] if worker_by_employee_id(sandbox.config, r["learner_employee_id"]) is not None
    }
    assert stored == known
    assert known
    assert sandbox.soap_limiter.busiest_window(sandbox.config.tenant) <= 100

    puts = sum(sandbox.workday_learning.put_counts("record").values())
    code, output = wlc(config, "transcripts", "sync")
    assert code == ExitCode.DONE, output
    assert sum(sandbox.workday_learning.put_counts("record").values()) == puts


def test_export_writes_the_two_eib_sheets_with_the_seeds_columns(config: Path, tmp_path: Path) -> None:
    target = tmp_path / "history.xlsx"
    code, output = wlc(config, "transcripts", "export", str(target))
    assert code == ExitCode.DONE, output
    book = load_workbook(target)
    assert book.sheetnames == ["Put Learning Imported Content", "Put Learning Imported Record"]
    header = [c.value for c in next(book["Put Learning Imported Record"].iter_rows(max_row=1))]
    assert header == [
        "Spreadsheet Key",
        "Learning Imported Record",
        "ID",
        "Learner Employee ID",
        "Learning Imported Content",
        "Start Date",
        "Completion Date",
        "Learning Grade",
        "Overall Score",
        "Inactive",
    ]


def test_replay_refuses_a_range_that_ends_before_it_starts(config: Path) -> None:
    code, output = wlc(config, "transcripts", "replay", "--from", "2026-05-01", "--to", "2026-04-01")
    assert code == ExitCode.USAGE
    assert "before" in output


def test_a_replay_of_a_range_without_completions_says_the_range_was_empty(config: Path) -> None:
    code, output = wlc(config, "transcripts", "replay", "--from", "1990-01-01", "--to", "1990-01-31")
    assert code == ExitCode.DONE, output
    assert "no completion was completed from 1990-01-01 to 1990-01-31: the range held nothing to send" in output
    assert "0 records delivered" not in output
