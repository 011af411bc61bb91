"""Workers' heartbeats and takeover (``SqlWorkerHeartbeats`` and ``app.runtime.liveness.Liveness``) on SQLite and
PostgreSQL (skipped when no server answers): exactly one worker takes over a silent one, and a worker taken over
stops holding the sessions it had started."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.fakes.clock import FixedClock
from adapters.storage.worker_heartbeats import SqlWorkerHeartbeats
from app.runtime.liveness import Liveness
from tests.contract.storage_fixtures import postgres_engine_in_own_schema, postgres_url_or_skip, sqlite_engine

T0 = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)
TIMEOUT = timedelta(seconds=30)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def beats(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlWorkerHeartbeats]:
    if request.param == "sqlite":
        with sqlite_engine(tmp_path) as engine:
            yield SqlWorkerHeartbeats(engine)
    else:
        with postgres_engine_in_own_schema(postgres_url_or_skip()) as engine:
            yield SqlWorkerHeartbeats(engine)


def test_a_worker_joins_under_a_new_lease_each_time(beats: SqlWorkerHeartbeats) -> None:
    first = beats.join("w1", T0)
    second = beats.join("w1", T0)
    assert first != second
    assert beats.beat("w1", second, T0 + timedelta(seconds=5))
    assert not beats.beat("w1", first, T0 + timedelta(seconds=5))  # an old lease beats no more


def test_exactly_one_worker_takes_over_a_silent_one(beats: SqlWorkerHeartbeats) -> None:
    w1, w2, w3 = (beats.join(worker, T0) for worker in ("w1", "w2", "w3"))
    later = T0 + TIMEOUT + timedelta(seconds=1)
    beats.beat("w2", w2, later)
    beats.beat("w3", w3, later)

    first, second = beats.take_silent(later, TIMEOUT), beats.take_silent(later, TIMEOUT)

    assert (first, second) == (["w1"], [])
    assert not beats.beat("w1", w1, later)  # w1, back, learns it was taken over
    assert beats.take_silent(later, TIMEOUT) == []  # w2 and w3 beat within the timeout


def test_the_workers_alive_are_those_that_beat_within_the_timeout(beats: SqlWorkerHeartbeats) -> None:
    w1, w2 = beats.join("w1", T0), beats.join("w2", T0)
    beats.join("w3", T0)
    later = T0 + TIMEOUT + timedelta(seconds=1)
    beats.beat("w1", w1, later)
    beats.beat("w2", w2, T0 + timedelta(seconds=1))

    assert beats.alive(T0 + TIMEOUT, TIMEOUT) == {"w1", "w2", "w3"}  # silent for exactly the timeout: still alive
    assert beats.alive(later, TIMEOUT) == {"w1", "w2"}
    assert beats.take_silent(later, TIMEOUT) == ["w3"]
    assert beats.alive(later + TIMEOUT, TIMEOUT) == {"w1"}


def test_a_worker_beating_within_the_timeout_is_not_taken(beats: SqlWorkerHeartbeats) -> None:
    beats.join("w1", T0)
    assert beats.take_silent(T0 + TIMEOUT, TIMEOUT) == []  # silent for exactly the timeout: not yet


def test_a_taken_over_worker_holds_none_of_its_sessions_and_its_taker_resumes_them(
    beats: SqlWorkerHeartbeats,
) -> None:
    clock = FixedClock(T0)
    resumed: list[str] = []

    def recover(executor_id: str) -> int:
        resumed.append(executor_id)
        return 1

    w1 = Liveness(beats, clock, "w1", recover, every=5, timeout=TIMEOUT.total_seconds())
    w2 = Liveness(beats, clock, "w2", recover, every=5, timeout=TIMEOUT.total_seconds())
    for worker in (w1, w2):
        worker.start()
        worker.stop()  # beats driven by hand below
    held_by_w1 = w1.held()
    assert held_by_w1()

    clock.advance(TIMEOUT + timedelta(seconds=1))  # w1 cut off: it has not beaten since T0
    assert w2.beat_once() == ["w1"]
    assert resumed == ["w1"]
    assert w2.beat_once() == []  # taken once

    assert w1.beat_once() == []  # w1 back: it finds itself taken over and joins again
    assert not held_by_w1()  # what it had started, another now runs
    assert w1.held()()  # what it starts from now on, it holds
    assert resumed == ["w1"]


class _HeldUpBeats(SqlWorkerHeartbeats):
    """Beats that reach the database only after ``meanwhile`` ran (a worker cut off, and back: the clock, and the
    other workers, move on while the statement is on its way)."""

    def __init__(self, beats: SqlWorkerHeartbeats) -> None:
        self.__dict__.update(beats.__dict__)
        self.meanwhile: Callable[[], None] = lambda: None

    def beat(self, executor_id: str, lease: int, now: datetime) -> bool:
        self.meanwhile()
        return super().beat(executor_id, lease, now)


def _two_workers(beats: SqlWorkerHeartbeats, clock: FixedClock) -> tuple[Liveness, _HeldUpBeats, Liveness, list[str]]:
    """``w1``, whose beats go through the returned ``_HeldUpBeats``, and ``w2``, both joined at the clock's time and
    beating by hand; the workers taken over, in order."""
    taken: list[str] = []

    def recover(executor_id: str) -> int:
        taken.append(executor_id)
        return 0

    def elapsed() -> float:  # the workers' monotonic time, on the test's clock
        return clock.now().timestamp()

    held_up = _HeldUpBeats(beats)
    timeout = TIMEOUT.total_seconds()
    w1 = Liveness(held_up, clock, "w1", recover, every=5, timeout=timeout, monotonic=elapsed)
    w2 = Liveness(beats, clock, "w2", recover, every=5, timeout=timeout, monotonic=elapsed)
    for worker in (w1, w2):
        worker.start()
        worker.stop()
    return w1, held_up, w2, taken


def test_a_worker_back_from_a_cut_joins_with_the_time_it_came_back_and_is_taken_over_once(
    beats: SqlWorkerHeartbeats,
) -> None:
    clock = FixedClock(T0)
    w1, held_up, w2, taken = _two_workers(beats, clock)
    clock.advance(TIMEOUT + timedelta(seconds=1))  # w1 cut off since T0
    assert w2.beat_once() == ["w1"]

    def cut_goes_on() -> None:
        for _ in range(2):
            clock.advance(timedelta(seconds=20))
            assert w2.beat_once() == []

    held_up.meanwhile = cut_goes_on
    w1.beat_once()  # sent at T0 + 31 s, it arrives at T0 + 71 s: w1 finds itself taken over and joins again
    held_up.meanwhile = lambda: None

    assert w2.beat_once() == []  # w1 joined at T0 + 71 s, not at the time its beat was sent: it is not silent
    assert taken == ["w1"]
    assert w1.held()()


def test_a_beat_held_up_past_half_the_timeout_counts_from_when_it_was_sent(beats: SqlWorkerHeartbeats) -> None:
    clock = FixedClock(T0)
    w1, held_up, _, _ = _two_workers(beats, clock)
    held = w1.held()
    held_up.meanwhile = lambda: clock.advance(TIMEOUT / 2 + timedelta(seconds=1))

    w1.beat_once()  # sent at T0 and recorded as T0, back at T0 + 16 s: the others may take w1 over at T0 + 30 s

    assert not held()  # so it stops sending now, half the timeout after the beat the others see


def _beating_by_hand(beats: SqlWorkerHeartbeats, clock: FixedClock, executor_id: str) -> Liveness:
    """A started worker whose own thread never beats within the test (its beats are driven by hand), on the test's
    clock."""
    worker = Liveness(
        beats,
        clock,
        executor_id,
        lambda _: 0,
        every=3600,
        timeout=TIMEOUT.total_seconds(),
        monotonic=lambda: clock.now().timestamp(),
    )
    worker.start()
    return worker


def test_a_worker_fenced_for_a_late_beat_holds_its_sessions_again_at_its_next_beat(beats: SqlWorkerHeartbeats) -> None:
    clock = FixedClock(T0)
    w1 = _beating_by_hand(beats, clock, "w1")
    try:
        hold = w1.held()
        clock.advance(TIMEOUT / 2 + timedelta(seconds=1))  # no beat for over half the timeout: fenced
        assert not hold()
        with ThreadPoolExecutor(1) as pool:
            regained = pool.submit(hold.regained)  # a session waiting to send what it could not
            assert w1.beat_once() == []  # the late beat lands; nobody took w1 over
            assert regained.result(timeout=30)
        assert hold()
    finally:
        w1.stop()


def test_a_session_of_a_worker_taken_over_does_not_regain_its_lease(beats: SqlWorkerHeartbeats) -> None:
    clock = FixedClock(T0)
    w1, w2 = _beating_by_hand(beats, clock, "w1"), _beating_by_hand(beats, clock, "w2")
    try:
        hold = w1.held()
        clock.advance(TIMEOUT + timedelta(seconds=1))
        assert w2.beat_once() == ["w1"]
        with ThreadPoolExecutor(1) as pool:
            regained = pool.submit(hold.regained)
            w1.beat_once()  # w1 back: taken over, it joins under a new lease
            assert not regained.result(timeout=30)
        assert not hold()
        assert w1.held()()
    finally:
        w1.stop()
        w2.stop()
