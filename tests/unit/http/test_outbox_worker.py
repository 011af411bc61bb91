from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from returns.result import Result

from app.http.outbox_worker import Outages, OutboxWorker
from app.use_cases.lms import LmsRefusal, PushCompletion
from domain.errors import PortUnavailable
from domain.learning_completions import CompletionResult, Enrollment, LearningCompletion
from domain.outbox import backoff
from tests.unit.http.world import COMPLETION, NOW, World


def test_backoff_doubles_from_five_seconds_up_to_fifteen_minutes() -> None:
    waits = [backoff(n) for n in (1, 2, 3, 4)]

    assert waits == [timedelta(seconds=s) for s in (5, 10, 20, 40)]
    assert backoff(1000) == timedelta(minutes=15)


def test_the_worker_thread_starts_with_the_app_and_stops_with_it(world: World) -> None:
    worker = OutboxWorker(world.outbox, world.app.state.deps.tenants, world.clock, idle_wait=0.01)
    world.app.state.outbox_worker = worker
    worker.start()
    assert worker.running
    worker.stop()
    assert not worker.running


def test_the_lifespan_runs_the_worker(tmp_path: object) -> None:
    from app.http import create_app

    world = World(tmp_path / "ledger.sqlite3")  # type: ignore[operator]
    app = create_app(world.app.state.deps, run_worker=True)
    with TestClient(app):
        worker = app.state.outbox_worker
        assert isinstance(worker, OutboxWorker)
        assert worker.running
    assert not worker.running


class Monotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@given(st.lists(st.sampled_from(["fail", "answer", "wait", "reserve", "release"]), max_size=50))
def test_an_outage_pause_doubles_with_each_failed_probe_up_to_its_cap_one_probe_at_a_time(events: list[str]) -> None:
    clock = Monotonic()
    outages = Outages(first=1.0, cap=8.0, now=clock)
    pause, resume_at, probing = 0.0, 0.0, False  # the model
    for event in events:
        if event == "wait":
            clock.now += 0.75
        elif event == "reserve":
            open_, probes = outages.reserve(["acme", "globex"])
            may = not probing and (pause == 0 or clock.now >= resume_at)
            probe = may and pause > 0
            probing = probing or probe
            assert (open_, probes) == (["acme", "globex"] if may else ["globex"], {"acme"} if probe else set())
        elif event == "release":
            outages.release({"acme"})
            probing = False
        elif event == "fail":
            outages.failed("acme")
            probing = False
            if clock.now >= resume_at:
                pause = 1.0 if pause == 0 else min(pause * 2, 8.0)
                resume_at = clock.now + pause
        else:
            outages.answered("acme")
            pause, resume_at, probing = 0.0, 0.0, False
        assert outages.is_paused("acme") == (probing or clock.now < resume_at)
        waiting = outages.next_resume()
        if clock.now < resume_at:
            assert waiting == pytest.approx(resume_at - clock.now)
            assert waiting is not None
            assert 0 < waiting <= 8.0
        else:
            assert waiting is None
    assert not outages.is_paused("globex")


def _down(world: World, account: str) -> list[str]:
    """Makes ``account``'s Workday unreachable; returns the learners whose delivery was attempted."""
    attempted: list[str] = []

    def push() -> Any:
        def unreachable(completion: LearningCompletion, course_id: str | None = None) -> Result[Enrollment, LmsRefusal]:
            attempted.append(completion.learner_id)
            raise PortUnavailable("Workday could not be reached")

        return unreachable

    world.tenants[account].push = push
    return attempted


def test_an_unreachable_workday_pauses_its_accounts_deliveries_but_not_the_others(world: World) -> None:
    world.seed_course("acme")
    world.seed_course("globex")
    for learner in ("E1", "E2", "E3"):
        posted = world.client.post(
            f"/unified/lms/users/{learner}/completions", json=COMPLETION, headers=world.headers_for("acme")
        )
        assert posted.status_code == 202
    posted = world.client.post(
        "/unified/lms/users/G1/completions", json=COMPLETION, headers=world.headers_for("globex")
    )
    assert posted.status_code == 202
    attempted = _down(world, "acme")
    clock = Monotonic()
    worker = OutboxWorker(
        world.outbox, world.app.state.deps.tenants, world.clock, idle_wait=5.0, outages=Outages(first=1.0, now=clock)
    )

    assert worker.step() is None  # acme's first entry: Workday unreachable, acme paused
    assert worker.step() is None  # globex's entry, delivered
    assert worker.step() == pytest.approx(1.0)  # only acme's entries are left: wait for its pause to end
    assert attempted == ["E1"]
    assert len(world.tenants["globex"].enrollments.enrollments("G1", None)) == 1

    clock.now += 1.0
    assert worker.step() is None  # the probe: still unreachable, the pause doubles
    assert attempted == ["E1", "E2"]
    assert worker.step() == pytest.approx(2.0)  # until the doubled pause ends

    clock.now += 2.0
    _, probe = worker.outages.reserve(["acme"])  # another thread takes the probe
    assert probe == {"acme"}
    assert worker.step() == pytest.approx(5.0)  # this one keeps away from acme meanwhile
    assert attempted == ["E1", "E2"]
    worker.outages.release(probe)
    world.tenants["acme"].push = lambda: PushCompletion(
        world.tenants["acme"].workday, world.tenants["acme"].enrollments
    )
    assert worker.step() is None  # the probe (E3) is answered: the pause ends
    assert not worker.outages.is_paused("acme")
    assert worker.step() == pytest.approx(5.0)  # E1 and E2 wait for their own retry times
    world.clock.advance(timedelta(seconds=10))
    assert (worker.step(), worker.step()) == (None, None)
    assert worker.step() == pytest.approx(5.0)
    delivered = world.tenants["acme"].enrollments
    assert [len(delivered.enrollments(learner, None)) for learner in ("E1", "E2", "E3")] == [1, 1, 1]


def test_starting_leaves_what_waits_for_an_account_not_configured_here_pending_and_says_so(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    completion = LearningCompletion("E1", "ADV-SALES-001", CompletionResult.PASS, NOW, None, None, None)
    other, _ = world.outbox.enqueue("initech", completion, NOW)  # initech is not among the configured accounts
    worker = OutboxWorker(world.outbox, world.app.state.deps.tenants, world.clock, threads=0)

    worker.start()
    worker.stop()

    waiting = world.outbox.get(other.id)
    assert waiting is not None
    assert waiting.status.value == "pending"
    assert "1 completions wait for accounts not configured here (initech)" in caplog.text


class BrokenLedgerOutbox:
    """An outbox whose claims or settlements fail, as a ledger that went away does."""

    def __init__(self, outbox: Any, fail_claims: bool) -> None:
        self._outbox = outbox
        self._fail_claims = fail_claims

    def claim_next(self, *args: Any, **kwargs: Any) -> Any:
        if self._fail_claims:
            raise PortUnavailable("the ledger is unavailable")
        return self._outbox.claim_next(*args, **kwargs)

    def retry_later(self, *args: Any, **kwargs: Any) -> None:
        raise PortUnavailable("the ledger is unavailable")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._outbox, name)


@pytest.mark.parametrize("fail_claims", [True, False], ids=["the claim fails", "settling fails"])
def test_a_probe_that_ends_in_an_error_is_given_back(world: World, fail_claims: bool) -> None:
    world.seed_course("acme")
    posted = world.client.post("/unified/lms/users/E1/completions", json=COMPLETION, headers=world.as_acme())
    assert posted.status_code == 202
    _down(world, "acme")
    clock = Monotonic()
    outages = Outages(first=1.0, now=clock)
    outages.failed("acme")  # acme was found down a moment ago
    clock.now += 1.0  # its pause has run out: the next step probes
    broken = BrokenLedgerOutbox(world.outbox, fail_claims)
    world.tenants["acme"].sent = broken  # the delivery settles through it
    worker = OutboxWorker(broken, world.app.state.deps.tenants, world.clock, idle_wait=5.0, outages=outages)  # type: ignore[arg-type]

    assert worker.step() == pytest.approx(5.0)  # the error is logged, the thread waits

    if not fail_claims:  # the delivery was a failed probe: the pause doubled
        assert outages.next_resume() == pytest.approx(2.0)
        clock.now += 2.0
    _, probes = outages.reserve(["acme"])
    assert probes == {"acme"}  # the probe is free for the next thread
