"""The rate limiter: in every one-second window at most ``floor(rate)`` requests start, and a backlog is served
at exactly that rate, with no gaps. A fake clock; nothing sleeps."""

from __future__ import annotations

import itertools
import math
import threading

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.workday.rate_limiter import (
    DEFAULT_MARGIN,
    RETAKES,
    RateLimitedTransport,
    Reservation,
    TenantRateLimiter,
)
from tests.alert_receivers import WebhookReceiver
from tests.fake_time import FakeClock
from tests.fake_time import most_starts_in_one_window as most_starts_in_one_second

arrivals = st.lists(st.floats(min_value=0, max_value=20, allow_nan=False), min_size=1, max_size=60).map(sorted)
rates = st.one_of(st.integers(min_value=1, max_value=12).map(float), st.floats(min_value=1, max_value=12))


@given(arrivals=arrivals, rate=rates)
def test_no_window_of_one_second_holds_more_than_the_rate(arrivals: list[float], rate: float) -> None:
    clock = FakeClock()
    limiter = TenantRateLimiter(rate, margin=0, clock=clock, sleep=clock.sleep)
    starts = []
    for arrival in arrivals:
        clock.advance_to(arrival)
        starts.append(limiter.acquire())
        assert clock() >= starts[-1] - 1e-9, "acquire returned before the start it recorded"

    assert most_starts_in_one_second(starts) <= math.floor(rate)


@given(arrivals=arrivals, rate=rates)
def test_a_request_starts_as_soon_as_the_budget_allows(arrivals: list[float], rate: float) -> None:
    """Work-conserving: each request starts on arrival, or the moment the oldest start in its window is a
    second old; never later."""
    clock = FakeClock()
    limiter = TenantRateLimiter(rate, margin=0, clock=clock, sleep=clock.sleep)
    capacity = math.floor(rate)
    starts: list[float] = []
    for arrival in arrivals:
        clock.advance_to(arrival)
        earliest = max(clock(), starts[-1] if starts else 0.0)
        if len(starts) >= capacity:
            earliest = max(earliest, starts[-capacity] + 1.0)
        starts.append(limiter.acquire())
        assert starts[-1] == pytest.approx(earliest, abs=1e-9)


@given(rate=st.integers(min_value=1, max_value=20), seconds=st.integers(min_value=1, max_value=10))
def test_a_backlog_is_served_at_exactly_the_rate(rate: int, seconds: int) -> None:
    clock = FakeClock()
    limiter = TenantRateLimiter(rate, margin=0, clock=clock, sleep=clock.sleep)

    starts = [limiter.acquire() for _ in range(rate * seconds)]

    assert starts[-1] == pytest.approx(seconds - 1)
    for second in range(seconds):
        assert sum(1 for s in starts if second <= s < second + 1) == rate


@settings(max_examples=20, deadline=None)
@given(rate=st.integers(min_value=1, max_value=8), threads=st.integers(min_value=2, max_value=8))
def test_threads_sharing_a_limiter_keep_to_the_rate_and_use_all_of_it(rate: int, threads: int) -> None:
    clock = FakeClock()
    limiter = TenantRateLimiter(rate, margin=0, clock=clock, sleep=clock.sleep)
    per_thread = 6
    starts: list[float] = []
    record = threading.Lock()

    def work() -> None:
        for _ in range(per_thread):
            started = limiter.acquire()
            with record:
                starts.append(started)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert len(starts) == threads * per_thread
    assert most_starts_in_one_second(starts) <= rate
    assert max(starts) == pytest.approx(math.ceil(threads * per_thread / rate) - 1)


def test_a_fractional_rate_is_rounded_down() -> None:
    clock = FakeClock()
    limiter = TenantRateLimiter(2.5, margin=0, clock=clock, sleep=clock.sleep)

    starts = [limiter.acquire() for _ in range(5)]

    assert starts == pytest.approx([0, 0, 1, 1, 2])


@pytest.mark.parametrize("rate", [0.0, 0.5, -1.0, math.nan])
def test_a_rate_below_one_request_a_second_is_refused(rate: float) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        TenantRateLimiter(rate)


@given(
    arrivals=arrivals, rate=st.integers(min_value=1, max_value=12), lag=st.floats(min_value=0, max_value=DEFAULT_MARGIN)
)
def test_the_margin_keeps_a_window_at_workdays_end_within_the_rate_when_arrivals_lag_unevenly(
    arrivals: list[float], rate: int, lag: float
) -> None:
    """Requests that start evenly may reach Workday bunched: the oldest of a window late by up to the margin,
    the newest on time. Workday's one-second window still never holds more than ``rate``."""
    clock = FakeClock()
    limiter = TenantRateLimiter(rate, clock=clock, sleep=clock.sleep)
    starts = []
    for arrival in arrivals:
        clock.advance_to(arrival)
        starts.append(limiter.acquire())
    reached_workday = [s + (lag if n % 2 == 0 else 0.0) for n, s in enumerate(starts)]
    assert most_starts_in_one_second(reached_workday) <= rate


def test_with_the_default_margin_a_backlog_still_uses_97_percent_of_the_budget() -> None:
    clock = FakeClock()
    limiter = TenantRateLimiter(10, clock=clock, sleep=clock.sleep)
    starts = [limiter.acquire() for _ in range(100)]
    assert 100 / (starts[-1] + limiter.window) == pytest.approx(10 / 1.03)


@given(arrivals=arrivals, rate=rates, margin=st.sampled_from([0.0, DEFAULT_MARGIN]))
def test_spread_starts_are_evenly_apart_as_soon_as_that_allows_and_within_the_rate(
    arrivals: list[float], rate: float, margin: float
) -> None:
    clock = FakeClock()
    limiter = TenantRateLimiter(rate, margin=margin, spread=True, clock=clock, sleep=clock.sleep)
    gap = (1 + margin) / math.floor(rate)
    starts: list[float] = []
    for arrival in arrivals:
        clock.advance_to(arrival)
        earliest = max(clock(), starts[-1] + gap) if starts else clock()
        starts.append(limiter.acquire())
        assert starts[-1] == pytest.approx(earliest, abs=1e-9)

    assert all(later - earlier >= gap - 1e-9 for earlier, later in itertools.pairwise(starts))
    assert most_starts_in_one_second(starts) <= math.floor(rate)


@given(rate=st.integers(min_value=1, max_value=20), seconds=st.integers(min_value=1, max_value=10))
def test_a_spread_backlog_uses_the_same_share_of_the_budget(rate: int, seconds: int) -> None:
    clock = FakeClock()
    limiter = TenantRateLimiter(rate, spread=True, clock=clock, sleep=clock.sleep)

    starts = [limiter.acquire() for _ in range(rate * seconds + 1)]

    assert starts[-1] == pytest.approx(seconds * (1 + DEFAULT_MARGIN))


class _Reserved(Reservation):
    def __init__(self, missed: bool, sent: list[int]) -> None:
        self._missed = missed
        self._sent = sent

    def missed(self) -> bool:
        return self._missed

    def sent(self) -> None:
        self._sent.append(1)

    def done(self) -> None:
        pass


class _Reservations:
    """A budget granting every slot at once; the slots it hands out report missed as ``missed`` says, in turn,
    then on time. ``asked`` counts the slots taken, ``sent`` the requests it was told were written."""

    def __init__(self, missed: list[bool]) -> None:
        self.asked = 0
        self.sent: list[int] = []
        self._missed = list(missed)

    def acquire(self) -> float:
        self.asked += 1
        return 0.0

    def reserve(self) -> Reservation:
        self.acquire()
        return _Reserved(self._missed.pop(0) if self._missed else False, self.sent)


def _post_through(budget: _Reservations) -> WebhookReceiver:
    transport = RateLimitedTransport(httpx.HTTPTransport(), budget)
    with WebhookReceiver() as workday, httpx.Client(transport=transport) as client:
        answer = client.post(workday.url, json={"learner": "E-1"})
    assert answer.status_code == 200
    return workday


def test_a_request_whose_slot_was_missed_by_the_time_it_is_written_is_not_sent_in_it() -> None:
    budget = _Reservations(missed=[True])

    workday = _post_through(budget)

    assert workday.received == [{"learner": "E-1"}]  # sent once, in the second slot
    assert budget.asked == 2
    assert len(budget.sent) == 1  # told once: the missed slot's request was never written


def test_a_request_that_misses_every_slot_is_sent_after_its_retakes() -> None:
    budget = _Reservations(missed=[True] * (RETAKES + 5))

    workday = _post_through(budget)

    assert workday.received == [{"learner": "E-1"}]
    assert budget.asked == RETAKES + 1


def test_a_request_on_time_takes_one_slot_and_keeps_the_trace_already_on_it() -> None:
    budget = _Reservations(missed=[])
    events: list[str] = []
    transport = RateLimitedTransport(httpx.HTTPTransport(), budget)
    with WebhookReceiver() as workday, httpx.Client(transport=transport) as client:
        client.post(workday.url, json={}, extensions={"trace": lambda event, _: events.append(event)})

    assert budget.asked == 1
    assert len(budget.sent) == 1
    assert workday.received == [{}]
    assert "http11.send_request_headers.started" in events
    assert "http11.send_request_body.complete" in events
