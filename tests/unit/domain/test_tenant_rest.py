"""A failing tenant rests from the failing kind, longer the longer it has failed, and not at all once it succeeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from hypothesis import given
from hypothesis import strategies as st

from domain.runs import Run, RunKind, RunOutcome
from domain.tenant_rest import FAILING, RestPolicy, resting

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
POLICY = RestPolicy(timedelta(minutes=1), timedelta(hours=1))
_ids = count(1)


def _run(outcome: RunOutcome, minutes: float, tenant: str = "acme", kind: RunKind = RunKind.TRANSCRIPTS) -> Run:
    at = T0 + timedelta(minutes=minutes)
    return Run(next(_ids), kind, tenant, at, outcome, at)


def test_a_tenant_whose_last_run_failed_rests_from_that_kind_only() -> None:
    failed = _run(RunOutcome.FAILED, 0)

    rests = resting([failed], POLICY, T0 + timedelta(seconds=30))

    assert rests == {("acme", RunKind.TRANSCRIPTS): T0 + timedelta(minutes=1)}


def test_the_rest_grows_with_the_failing_streak_up_to_the_most() -> None:
    success = _run(RunOutcome.SUCCEEDED, 0)
    failed = _run(RunOutcome.FAILED, 10)
    long_ago = _run(RunOutcome.SUCCEEDED, -600, tenant="globex")
    globex_failed = _run(RunOutcome.FAILED, 10, tenant="globex")

    rests = resting([success, failed, long_ago, globex_failed], POLICY, T0 + timedelta(minutes=11))

    assert rests[("acme", RunKind.TRANSCRIPTS)] == T0 + timedelta(minutes=20)
    assert rests[("globex", RunKind.TRANSCRIPTS)] == T0 + timedelta(minutes=70)


def test_a_success_after_the_failure_ends_the_rest() -> None:
    assert resting([_run(RunOutcome.FAILED, 0), _run(RunOutcome.SUCCEEDED, 0.5)], POLICY, T0) == {}


def test_a_partial_run_rests_as_a_failed_one_does_and_a_blocked_one_does_not() -> None:
    assert resting([_run(RunOutcome.PARTIAL, 0)], POLICY, T0) == {("acme", RunKind.TRANSCRIPTS): T0 + POLICY.first}
    assert resting([_run(RunOutcome.BLOCKED, 0)], POLICY, T0) == {}


@given(st.lists(st.tuples(st.sampled_from(list(RunOutcome)[1:]), st.floats(0, 600)), max_size=8), st.floats(0, 700))
def test_a_rest_ends_within_the_most_after_the_last_failure(runs: list[tuple[RunOutcome, float]], now: float) -> None:
    latest = [_run(outcome, minutes) for outcome, minutes in runs]

    for key, until in resting(latest, POLICY, T0 + timedelta(minutes=now)).items():
        failures = [r for r in latest if (r.tenant, r.kind) == key and r.outcome in FAILING]
        last = max(failures, key=lambda r: r.id)
        assert last.started_at + POLICY.first <= until <= last.started_at + POLICY.most
