"""A connection reset after Workday processed the request: the connector sees a failure and sends the request
again, though Workday already holds what it carried. A transcript Put is an upsert by the item's ID, and a
completion on an enrollment Workday made on launch updates it by WID, so the retry changes nothing; and a
completion that creates its enrollment looks for what its lost attempt made before asking again. The sandbox ends
with exactly the expected items, each once, and ``wlc reconcile --fix`` through the same resets leaves it so.
The retry waits are recorded, not slept."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.responses import Response

from adapters.fakes import FixedClock
from app.container import build_container
from app.http.app import create_app
from app.runtime.delivery import Drain
from app.sandbox_settings import sandbox_settings
from domain.outbox import OutboxStatus
from domain.runs import RunOutcome
from sandbox.config import SandboxConfig
from sandbox.faults import Faults
from sandbox.population import worker_at, worker_by_employee_id
from sandbox.server import SandboxServer
from sandbox.workday.learning.enrollments import StoredEnrollment
from sandbox.workday.soap import endpoint as soap_endpoint
from tests.reliability.api_harness import (
    ACCOUNT,
    COMPLETIONS,
    completion,
    course,
    deliver_all,
    headers,
    sandbox_api,
)
from tests.reliability.harness import InvalidPuts, RecordedSleeps, closing, sandbox_container

RESET_SHARE = 0.25
MAX_PASSES = 4
"""A pass leaves an item behind only when all six attempts of one request are reset (0.25**6); the first pass
also ends partial for the records Workday refuses as invalid, which the next pass no longer sends."""
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
COURSES = ("RESET-101", "RESET-102")
LEARNERS = 15


class Cuts:
    """Counts the answers the sandbox's Learning endpoint cut: with ``reset_after_processing`` every one of
    them is of a request Workday processed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._lock = threading.Lock()
        self._count = 0
        cut = soap_endpoint._cut_connection

        def counted() -> Response:
            with self._lock:
                self._count += 1
            return cut()

        monkeypatch.setattr(soap_endpoint, "_cut_connection", counted)

    @property
    def count(self) -> int:
        with self._lock:
            return self._count


@pytest.fixture
def cuts(monkeypatch: pytest.MonkeyPatch) -> Cuts:
    return Cuts(monkeypatch)


def resets_after_processing(faults: Faults) -> None:
    faults.reset_connection_rate = RESET_SHARE
    faults.reset_after_processing = True


def test_a_transcript_sync_through_resets_after_processing_ends_exact(tmp_path: Path, cuts: Cuts) -> None:
    config = SandboxConfig(workers=400, seed=53, completions=400, soap_rate_limit=None, seed_lumiq=False)
    ledger = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    sleeps = RecordedSleeps()
    with SandboxServer(config) as sandbox, InvalidPuts().watching() as puts:
        with closing(sandbox_container(sandbox, f"sqlite:///{tmp_path / 'plan.sqlite3'}", sleeps)) as container:
            planned_contents = {c.id for c in container.plan_transcripts()().plan.contents}
        resets_after_processing(sandbox.faults)
        outcomes: list[RunOutcome] = []
        for _ in range(MAX_PASSES):
            with closing(sandbox_container(sandbox, ledger, sleeps)) as container:
                outcomes.append(container.sync_transcripts()().outcome)
            if outcomes[-1] is RunOutcome.SUCCEEDED:
                break
        sandbox.faults.clear()

        latest = sandbox.completions.latest().values()
        known = {
            c.id
            for c in latest
            if c.status == "passed"
            and not c.revoked
            and c.member.employee_id is not None
            and worker_by_employee_id(config, c.member.employee_id) is not None
        }
        store = sandbox.workday_learning
        records, contents = store.records(), store.contents()
        resent = {item: n - 1 for item, n in puts.processed.items() if n > 1}
        print(
            f"\nresets after processing ({RESET_SHARE:.0%} of SOAP requests): {len(latest)} completions, "
            f"{len(known)} records and {len(planned_contents)} contents expected; runs {[o.value for o in outcomes]}; "
            f"{sandbox.counts.total('workday')} Workday requests, {cuts.count} processed and then reset; "
            f"{len(resent)} items sent again ({sum(resent.values())} extra puts, at most "
            f"{max(resent.values(), default=0)} for one); stored {len(records)} records and {len(contents)} contents"
        )

        assert outcomes[-1] is RunOutcome.SUCCEEDED, outcomes
        assert cuts.count > 0, "no request was reset after processing"
        assert sorted(r.id for r in records) == sorted(known), "a record lost, stored twice or unexpected"
        assert sorted(c.id for c in contents) == sorted(planned_contents), "a content lost, twice or unexpected"
        # Each reset request was sent again once more, and nothing else was sent twice.
        assert sum(resent.values()) == cuts.count
        assert all(puts.refused[item] == 1 for item in puts.refused), "an invalid record was sent again"
        with closing(sandbox_container(sandbox, ledger, sleeps)) as container:
            assert container.plan_transcripts()().plan.is_empty


@dataclass(frozen=True, slots=True)
class Pushed:
    """Completions posted to the API and delivered through resets after processing, the sandbox still up."""

    sandbox: SandboxServer
    ledger: str
    completed_at: dict[tuple[str, str], datetime]
    """When each (learner, course) was completed, as posted."""
    on_launch: dict[tuple[str, str], str]
    """The WID of the enrollment Workday made when the learner launched the course, if they did."""
    statuses: list[OutboxStatus]
    attempted: int

    def live(self) -> dict[tuple[str, str], list[StoredEnrollment]]:
        return {
            pair: [e for e in self.sandbox.enrollments.enrollments_of(*pair) if not e.rescinded]
            for pair in self.completed_at
        }


@contextmanager
def pushed_through_resets(tmp_path: Path, *, launched: bool) -> Iterator[Pushed]:
    config = SandboxConfig(workers=60, seed=59, completions=0, soap_rate_limit=None, seed_lumiq=False)
    ledger = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    clock = FixedClock(NOW)
    with SandboxServer(config) as sandbox:
        deps = sandbox_api(sandbox, ledger, RecordedSleeps(), clock)
        app = create_app(deps)
        with TestClient(app) as client:
            auth = headers(deps, clock.now())
            for reference in COURSES:
                created = client.put("/unified/lms/content", json=course(reference), headers=auth)
                assert created.status_code == 201, created.text
            pairs = [(worker_at(config, n).employee_id, reference) for n in range(LEARNERS) for reference in COURSES]
            on_launch = {pair: sandbox.enrollments.launch(*pair).wid for pair in pairs} if launched else {}
            completed_at = {pair: NOW - timedelta(days=1, minutes=n) for n, pair in enumerate(pairs)}
            for (learner, reference), at in completed_at.items():
                accepted = client.post(COMPLETIONS.format(learner), json=completion(reference, at), headers=auth)
                assert accepted.status_code == 202, accepted.text

            resets_after_processing(sandbox.faults)
            worker = app.state.drain
            assert isinstance(worker, Drain)
            attempted = deliver_all(worker, deps.outbox, clock)
            sandbox.faults.clear()
            statuses = [entry.status for entry in deps.outbox.entries(ACCOUNT)]
        yield Pushed(sandbox, ledger, completed_at, on_launch, statuses, attempted)


@pytest.mark.parametrize(
    "launched",
    [
        pytest.param(True, id="updating the enrollments Workday made on launch"),
        pytest.param(False, id="creating the enrollments"),
    ],
)
def test_completions_pushed_through_resets_after_processing_end_exact(
    tmp_path: Path, cuts: Cuts, launched: bool
) -> None:
    with pushed_through_resets(tmp_path, launched=launched) as pushed:
        live = pushed.live()
        doubled = sorted(pair for pair, found in live.items() if len(found) > 1)
        print(
            f"\ncompletions through resets after processing ({'launched' if launched else 'new'} enrollments): "
            f"{len(live)} accepted, {pushed.attempted} delivery attempts, {cuts.count} requests processed and then "
            f"reset; {sum(len(found) for found in live.values())} enrollments for {len(live)} learner-course pairs "
            f"({len(doubled)} pairs with more than one)"
        )

        assert cuts.count > 0, "no request was reset after processing"
        assert pushed.statuses == [OutboxStatus.DELIVERED] * len(live)
        assert not doubled, f"two enrollments for one learner and course, e.g. {doubled[:3]}"
        for pair, (enrollment,) in live.items():
            assert enrollment.status == "Completed"
            assert enrollment.completion == pushed.completed_at[pair]
            assert not launched or enrollment.wid == pushed.on_launch[pair]


def test_what_resets_left_doubled_is_rescinded_by_reconcile(tmp_path: Path, cuts: Cuts) -> None:
    """``wlc reconcile --fix`` after (and through) resets: whatever it corrects, one enrollment per pair is left."""
    with pushed_through_resets(tmp_path, launched=False) as pushed:
        before = sum(len(found) for found in pushed.live().values())
        settings = sandbox_settings(pushed.sandbox.base_url, pushed.sandbox.config, pushed.ledger)
        with closing(build_container(settings=settings)) as container:
            result = container.reconcile()(fix=True)
        live = pushed.live()
        print(
            f"\nreconcile after resets: {cuts.count} requests reset after processing; {before} enrollments for "
            f"{len(live)} learner-course pairs, {len(result.fixes)} fixed ({len(result.failed)} failed), "
            f"{sum(len(found) for found in live.values())} left"
        )

        assert not result.failed
        for pair, (enrollment,) in live.items():
            assert enrollment.status == "Completed"
            assert enrollment.completion == pushed.completed_at[pair]
