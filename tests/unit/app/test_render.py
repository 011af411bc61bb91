"""How a membership run is told, the same in ``wlc membership sync`` and ``wlc demo``."""

from __future__ import annotations

from datetime import UTC, datetime

from app.cli.render import membership_run
from domain.runs import Run, RunKind, RunOutcome

AT = datetime(2026, 11, 23, 9, tzinfo=UTC)


def a_run(outcome: RunOutcome, message: str = "", **counts: int) -> Run:
    return Run(7, RunKind.MEMBERSHIP, "acme", AT, outcome, AT, dict(counts), message)


def test_an_applied_run_says_whom_it_invited_updated_and_removed_and_what_failed() -> None:
    run = a_run(RunOutcome.PARTIAL, invite=1200, update=3, remove=2, failed=1, rejected=4)
    assert membership_run(run) == (
        "Run 7 partial: invited 1,200, updated 3, removed 2; 1 failed. Every action is in the ledger: wlc runs show 7."
    )


def test_a_forced_run_says_what_it_was_forced_past() -> None:
    run = a_run(RunOutcome.SUCCEEDED, "applied with --force despite: the report is empty", remove=5, failed=0)
    assert "removed 5; 0 failed. Applied with --force despite: the report is empty. Every action" in membership_run(run)


def test_a_run_that_applied_nothing_says_why_and_counts_nothing() -> None:
    blocked = a_run(RunOutcome.BLOCKED, "blocked by the removal guard: 40 removals is more than 10%", remove=40)
    failed = a_run(RunOutcome.FAILED, "the report was cut short after 50 rows")
    assert membership_run(blocked) == (
        "Run 7 blocked by the removal guard: 40 removals is more than 10%. Nothing was applied. Once the report is "
        "checked, apply exactly this plan with 'wlc membership approve 7', or reject it with "
        "'wlc membership reject 7'."
    )
    assert membership_run(failed) == "Run 7 failed: the report was cut short after 50 rows. Nothing was applied."
