"""A tenant's status from the latest run of each kind and outcome (``domain.tenant_status``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.runs import Run, RunKind, RunOutcome
from domain.schedules import SyncKind, TenantSchedule
from domain.tenant_status import KindStatus, RunMark, TenantProfile, TokenStatus, tenant_status

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
ACME = TenantProfile("acme", ZoneInfo("America/Toronto"))


def run(run_id: int, kind: RunKind, outcome: RunOutcome, tenant: str = "acme", **counts: int) -> Run:
    at = NOW - timedelta(hours=10 - run_id)
    return Run(run_id, kind, tenant, at, outcome, at, dict(counts), f"run {run_id}")


def test_each_kind_has_its_last_success_and_last_failure() -> None:
    runs = [
        run(1, RunKind.MEMBERSHIP, RunOutcome.SUCCEEDED),
        run(2, RunKind.MEMBERSHIP, RunOutcome.FAILED),
        run(3, RunKind.TRANSCRIPTS, RunOutcome.PARTIAL),
        run(4, RunKind.TRANSCRIPTS, RunOutcome.SUCCEEDED),
        run(5, RunKind.MEMBERSHIP, RunOutcome.SUCCEEDED, tenant="globex"),
    ]

    status = tenant_status(ACME, NOW, runs, {})

    membership, transcripts, reconcile = (status.of(kind) for kind in RunKind)
    assert (membership.last_success, membership.last_failure) == (RunMark.of(runs[0]), RunMark.of(runs[1]))
    assert membership.failing
    assert (transcripts.last_success, transcripts.last_failure) == (RunMark.of(runs[3]), RunMark.of(runs[2]))
    assert not transcripts.failing
    assert reconcile == KindStatus(RunKind.RECONCILE, scheduled=True)


def test_the_latest_membership_run_blocked_is_the_plan_waiting_for_an_operator() -> None:
    blocked = run(3, RunKind.MEMBERSHIP, RunOutcome.BLOCKED, rejected=2)
    status = tenant_status(ACME, NOW, [run(1, RunKind.MEMBERSHIP, RunOutcome.SUCCEEDED, rejected=5), blocked], {})

    assert status.blocked_plan == RunMark.of(blocked)
    assert (status.rejected_rows, status.rejected_rows_run) == (2, 3)


def test_a_blocked_plan_that_a_later_run_followed_is_not_waiting() -> None:
    runs = [run(1, RunKind.MEMBERSHIP, RunOutcome.BLOCKED, rejected=1), run(2, RunKind.MEMBERSHIP, RunOutcome.FAILED)]

    status = tenant_status(ACME, NOW, runs, {})

    assert status.blocked_plan is None
    assert (status.rejected_rows, status.rejected_rows_run) == (1, 1), "a failed run read no report"


def test_a_paused_tenant_or_kind_has_no_next_run() -> None:
    next_runs = {RunKind.MEMBERSHIP: NOW + timedelta(hours=1), RunKind.TRANSCRIPTS: NOW + timedelta(minutes=5)}
    paused_kind = TenantProfile("acme", ACME.zone, TenantSchedule(paused=frozenset({SyncKind.TRANSCRIPTS})))

    some = tenant_status(paused_kind, NOW, [], next_runs)
    none = tenant_status(TenantProfile("acme", ACME.zone, paused=True), NOW, [], next_runs)

    assert some.of(RunKind.MEMBERSHIP).next_run == NOW + timedelta(hours=1)
    assert (some.of(RunKind.TRANSCRIPTS).next_run, some.of(RunKind.TRANSCRIPTS).paused) == (None, True)
    assert none.paused
    assert all(kind.next_run is None and kind.paused for kind in none.runs)


def test_a_kind_without_a_schedule_says_so() -> None:
    unscheduled = TenantProfile("acme", ACME.zone, TenantSchedule(reconcile_weekly=None))

    assert not tenant_status(unscheduled, NOW, [], {}).of(RunKind.RECONCILE).scheduled


def test_a_refresh_token_is_refused_until_a_later_grant() -> None:
    assert TokenStatus(last_refusal=NOW).refused
    assert TokenStatus(last_success=NOW - timedelta(minutes=1), last_refusal=NOW).refused
    assert not TokenStatus(last_success=NOW, last_refusal=NOW - timedelta(minutes=1)).refused
    assert not TokenStatus().refused
