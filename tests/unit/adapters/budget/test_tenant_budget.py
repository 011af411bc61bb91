"""A tenant's shared budget as a process takes it, on the in-memory store with a fake clock: the properties of
the process-local limiter (``test_rate_limiter``) hold for it, whichever priority asks, and interactive callers go
first. Nothing sleeps."""

from __future__ import annotations

import itertools
import logging
import math
import threading
from collections.abc import Callable

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.budget import BudgetUnavailable, Pace, Priority, Slot, TenantBudget
from adapters.budget.memory import InMemoryBudgetStore
from adapters.budget.rule import MICROS, Decision, Granted
from adapters.budget.store import unheard
from adapters.workday.rate_limiter import DEFAULT_MARGIN, RETAKES, RateLimitedTransport
from tests.alert_receivers import WebhookReceiver
from tests.fake_time import FakeClock, most_starts_in_one_window

arrivals = st.lists(st.floats(min_value=0, max_value=20, allow_nan=False), min_size=1, max_size=60).map(sorted)
rates = st.one_of(st.integers(min_value=1, max_value=12).map(float), st.floats(min_value=1, max_value=12))
priorities = st.sampled_from(Priority)


def budgets(
    rate: float, *, margin: float = 0.0, clock: FakeClock | None = None
) -> tuple[FakeClock, dict[Priority, TenantBudget]]:
    """An interactive and a background handle on one tenant's budget in one store."""
    clock = clock or FakeClock()
    store = InMemoryBudgetStore(clock)
    return clock, {
        p: TenantBudget(store, "acme", rate, p, margin=margin, clock=_never_late, sleep=clock.sleep) for p in Priority
    }


def _never_late() -> float:
    """The processes' own clock, for tests of the slots alone: it shows no caller late for its slot."""
    return 0.0


@given(arrivals=arrivals, rate=rates, asking=st.lists(priorities, min_size=60, max_size=60))
def test_no_window_of_one_second_holds_more_than_the_rate(
    arrivals: list[float], rate: float, asking: list[Priority]
) -> None:
    clock, handles = budgets(rate)
    starts = []
    for arrival, priority in zip(arrivals, asking, strict=False):
        clock.advance_to(arrival)
        starts.append(handles[priority].take().at)
        assert clock() >= starts[-1] / MICROS - 1e-9, "the slot was returned before it started"

    assert most_starts_in_one_window(starts, MICROS) <= math.floor(rate)


@given(arrivals=arrivals, rate=rates, priority=priorities, margin=st.sampled_from([0.0, DEFAULT_MARGIN]))
def test_a_lone_caller_starts_as_soon_as_the_spread_allows(
    arrivals: list[float], rate: float, priority: Priority, margin: float
) -> None:
    """Work-conserving, whichever the priority: each request starts on arrival, or one gap after the last."""
    clock, handles = budgets(rate, margin=margin)
    gap = handles[priority].pace.gap / MICROS
    starts: list[float] = []
    for arrival in arrivals:
        clock.advance_to(arrival)
        earliest = max(math.floor(clock() * MICROS) / MICROS, starts[-1] + gap) if starts else clock()
        starts.append(handles[priority].acquire())
        assert starts[-1] == pytest.approx(earliest, abs=1e-6)

    assert all(later - earlier >= gap - 1e-9 for earlier, later in itertools.pairwise(starts))


@given(rate=st.integers(min_value=1, max_value=20), seconds=st.integers(min_value=1, max_value=10), priority=priorities)
def test_a_backlog_is_served_at_the_rate_spread_over_the_window_with_its_margin(
    rate: int, seconds: int, priority: Priority
) -> None:
    _, handles = budgets(rate, margin=DEFAULT_MARGIN)
    pace = handles[priority].pace

    starts = [handles[priority].take().at for _ in range(rate * seconds + 1)]

    assert starts[-1] == rate * seconds * pace.gap
    assert starts[-1] / MICROS == pytest.approx(seconds * (1 + DEFAULT_MARGIN), abs=rate * seconds / MICROS)
    assert most_starts_in_one_window(starts, pace.window) == rate


@settings(max_examples=20, deadline=None)
@given(rate=st.integers(min_value=1, max_value=8), threads=st.integers(min_value=2, max_value=8), priority=priorities)
def test_threads_sharing_a_budget_keep_to_the_rate_and_use_all_of_it(
    rate: int, threads: int, priority: Priority
) -> None:
    _, handles = budgets(rate, clock=FakeClock(yielding=True))
    per_thread = 6
    starts = run_threads([(handles[priority], per_thread)] * threads)

    assert len(starts) == threads * per_thread
    assert most_starts_in_one_window([s.at for _, s in starts], MICROS) <= rate
    assert max(s.at for _, s in starts) == (threads * per_thread - 1) * handles[priority].pace.gap


@settings(max_examples=25, deadline=None)
@given(
    rate=st.integers(min_value=1, max_value=10),
    background_threads=st.integers(min_value=1, max_value=4),
    interactive_threads=st.integers(min_value=1, max_value=3),
)
def test_interactive_callers_are_never_behind_more_than_one_background_slot(
    rate: int, background_threads: int, interactive_threads: int
) -> None:
    """With background threads saturating the budget, each interactive request finds at most one background slot
    between its asking and its start, and none in the window after it: background takes what is left."""
    _, handles = budgets(rate, margin=DEFAULT_MARGIN, clock=FakeClock(yielding=True))
    pace = handles[Priority.INTERACTIVE].pace
    background = [(handles[Priority.BACKGROUND], 8)] * background_threads
    interactive = [(handles[Priority.INTERACTIVE], 4)] * interactive_threads

    taken = run_threads(background + interactive)

    assert len(taken) == 8 * background_threads + 4 * interactive_threads
    assert_interactive_first(taken, pace)


def assert_interactive_first(taken: list[tuple[Priority, Slot]], pace: Pace) -> None:
    """The properties of interactive first, on slots taken by callers of both priorities of one tenant."""
    ordered = sorted(s.at for _, s in taken)
    assert all(later - earlier >= pace.gap for earlier, later in itertools.pairwise(ordered))
    background = [s.at for p, s in taken if p is Priority.BACKGROUND]
    for priority, slot in taken:
        if priority is Priority.INTERACTIVE:
            assert not [b for b in background if slot.at <= b < slot.at + pace.window]
            interactive_ahead = [s for p, s in taken if p is Priority.INTERACTIVE and slot.asked < s.at < slot.at]
            assert slot.at - max([slot.asked, *[s.at for s in interactive_ahead]]) <= 2 * pace.gap
            assert len([b for b in background if slot.asked < b < slot.at]) <= 1


def test_background_takes_the_budget_again_one_window_after_the_last_interactive_request() -> None:
    _, handles = budgets(5, margin=DEFAULT_MARGIN)
    pace = handles[Priority.INTERACTIVE].pace

    interactive = [handles[Priority.INTERACTIVE].take() for _ in range(3)]
    background = [handles[Priority.BACKGROUND].take() for _ in range(2)]

    assert [s.at for s in interactive] == [0, pace.gap, 2 * pace.gap]
    assert [s.at for s in background] == [2 * pace.gap + pace.window, 3 * pace.gap + pace.window]


def run_threads(work: list[tuple[TenantBudget, int]]) -> list[tuple[Priority, Slot]]:
    """Runs a thread per ``(handle, count)``, each taking ``count`` slots back to back."""
    taken: list[tuple[Priority, Slot]] = []
    record = threading.Lock()

    def take(handle: TenantBudget, count: int) -> None:
        for _ in range(count):
            slot = handle.take()
            with record:
                taken.append((handle.priority, slot))

    threads = [threading.Thread(target=take, args=job) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return taken


class Unreachable:
    def take(self, tenant: str, pace: Pace, priority: Priority, *, asking: Callable[[], None] = unheard) -> Decision:
        raise BudgetUnavailable("the request budgets in Redis failed: ConnectionError")

    def sent_late(self, tenant: str, slot: int, late: int) -> None:
        raise BudgetUnavailable("the request budgets in Redis failed: ConnectionError")


def test_a_request_whose_budget_cannot_be_asked_is_not_sent_and_fails_as_the_network_would(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sent: list[httpx.Request] = []
    budget = TenantBudget(Unreachable(), "acme", 5, Priority.INTERACTIVE)

    def workday(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    inner = httpx.MockTransport(workday)
    client = httpx.Client(transport=RateLimitedTransport(inner, budget))

    with caplog.at_level(logging.WARNING), pytest.raises(httpx.NetworkError, match="Redis failed"):
        client.get("https://wd2-impl-services1.workday.com/ccx/service/acme/Learning/v44.2")

    assert sent == []
    assert "the request budget of tenant acme cannot be asked" in caplog.text


class _HeldUp:
    """A sleep on ``clock`` that ends later than asked by each of ``delays`` in turn (a thread not scheduled when
    its sleep ends), then on time; ``asks`` counts the store's decisions."""

    def __init__(self, clock: FakeClock, delays: list[float]) -> None:
        self._clock = clock
        self._delays = list(delays)

    def __call__(self, seconds: float) -> None:
        self._clock.sleep(seconds + (self._delays.pop(0) if self._delays else 0.0))


class _CountingStore(InMemoryBudgetStore):
    """Counts its decisions (``asks``); each answer reaches the caller ``slow`` seconds after it was decided."""

    def __init__(self, clock: FakeClock, slow: float = 0.0) -> None:
        super().__init__(clock)
        self.asks = 0
        self._fake_clock = clock
        self._slow = slow

    def take(self, tenant: str, pace: Pace, priority: Priority, *, asking: Callable[[], None] = unheard) -> Decision:
        self.asks += 1
        decision = super().take(tenant, pace, priority, asking=asking)
        self._fake_clock.advance_to(self._fake_clock() + self._slow)
        return decision


@given(
    priority=priorities,
    delays=st.lists(st.sampled_from([0.0, 0.005, 0.02, 0.1, 0.4]), max_size=40),
    requests=st.integers(min_value=1, max_value=20),
)
def test_a_caller_held_up_past_its_slot_sends_in_a_new_one(
    priority: Priority, delays: list[float], requests: int
) -> None:
    """Whatever holds the caller up, it sends within half the margin of its slot, or after ``RETAKES`` new slots;
    the slots it leaves go unused, so the slots sent in still keep to the rate."""
    clock = FakeClock()
    store = _CountingStore(clock)
    budget = TenantBudget(store, "acme", 5, priority, margin=0.1, clock=clock, sleep=_HeldUp(clock, delays))
    sent: list[tuple[Slot, float]] = []
    for _ in range(requests):
        slot = budget.take()
        sent.append((slot, clock()))

    assert most_starts_in_one_window([slot.at for slot, _ in sent], MICROS) <= 5
    assert all(later.at - earlier.at >= budget.pace.gap for (earlier, _), (later, _) in itertools.pairwise(sent))
    on_time = [at - slot.at / MICROS <= budget.late_after + 1e-6 for slot, at in sent]
    assert store.asks <= requests * (RETAKES + 1)
    assert all(on_time) or store.asks > requests  # only a caller out of retakes sends late
    if not any(delays):
        assert store.asks == requests  # nobody held up: no slot left unused


def test_a_caller_held_up_once_leaves_its_slot_and_takes_the_next() -> None:
    clock = FakeClock()
    store = _CountingStore(clock)
    budget = TenantBudget(store, "acme", 5, Priority.BACKGROUND, margin=0.1, clock=clock, sleep=_HeldUp(clock, [0.3]))
    first = budget.take()  # at once: no sleep
    second = budget.take()  # sleeps to its slot, 0.3 s too long: takes another

    assert store.asks == 3
    assert first.at == 0
    assert second.at >= 2 * budget.pace.gap  # the slot one gap after the first went unused
    assert clock() - second.at / MICROS <= budget.late_after


def test_a_caller_whose_answers_always_come_late_sends_after_its_retakes() -> None:
    clock = FakeClock()
    store = _CountingStore(clock, slow=0.5)
    budget = TenantBudget(store, "acme", 5, Priority.BACKGROUND, clock=clock, sleep=clock.sleep)
    budget.take()
    budget.take()

    assert store.asks == 2 * (1 + RETAKES)


class _BusyOnTheWay(httpx.BaseTransport):
    """Between the budget and the connection: holds the first request up ``delay`` seconds on ``clock`` (this
    process's interpreter busy with other threads), the next ones not at all."""

    def __init__(self, inner: httpx.BaseTransport, clock: FakeClock, delay: float) -> None:
        self._inner = inner
        self._clock = clock
        self._delays = [delay]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._delays:
            self._clock.advance_to(self._clock() + self._delays.pop())
        return self._inner.handle_request(request)


def test_an_interactive_request_held_up_after_its_slot_is_written_in_a_new_one() -> None:
    clock = FakeClock()
    store = _TellingStore(clock)
    budget = TenantBudget(store, "acme", 5, Priority.INTERACTIVE, margin=0.1, clock=clock, sleep=clock.sleep)
    on_the_way = _BusyOnTheWay(httpx.HTTPTransport(), clock, delay=0.3)

    with WebhookReceiver() as workday, httpx.Client(transport=RateLimitedTransport(on_the_way, budget)) as client:
        client.post(workday.url, json={"learner": "E-1"})

    assert workday.received == [{"learner": "E-1"}]
    assert store.calls == ["take", "take"]  # the first slot, missed on the way, went unused


def test_a_background_request_held_up_after_its_slot_is_sent_late_and_moves_the_next_slot() -> None:
    """A background caller's turn holds the process's next caller until its request is written: sent late, its
    lateness moves the slots after it, which costs the tenant the time it was late rather than a gap."""
    clock = FakeClock()
    store = _TellingStore(clock)
    budget = TenantBudget(store, "acme", 5, Priority.BACKGROUND, margin=0.1, clock=clock, sleep=clock.sleep)
    on_the_way = _BusyOnTheWay(httpx.HTTPTransport(), clock, delay=0.3)

    with WebhookReceiver() as workday, httpx.Client(transport=RateLimitedTransport(on_the_way, budget)) as client:
        client.post(workday.url, json={"n": 1})
        client.post(workday.url, json={"n": 2})

    assert workday.received == [{"n": 1}, {"n": 2}]
    assert store.calls == ["take", "sent_late", "take"]
    first, second = store.granted
    assert store.told[0][2] == pytest.approx(300_000, abs=1)
    assert second == first + store.told[0][2] + budget.pace.gap


class _TellingStore(InMemoryBudgetStore):
    """Records the slots it grants (``granted``), what it is told (``told``: tenant, slot, late) and, in order, each
    asking and telling (``calls``); ``asked`` is set at each asking."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.granted: list[int] = []
        self.told: list[tuple[str, int, int]] = []
        self.calls: list[str] = []
        self.asked = threading.Event()

    def take(self, tenant: str, pace: Pace, priority: Priority, *, asking: Callable[[], None] = unheard) -> Decision:
        self.calls.append("take")
        self.asked.set()
        decision = super().take(tenant, pace, priority, asking=asking)
        if isinstance(decision, Granted):
            self.granted.append(decision.at)
        return decision

    def sent_late(self, tenant: str, slot: int, late: int) -> None:
        self.calls.append("sent_late")
        self.told.append((tenant, slot, late))
        super().sent_late(tenant, slot, late)


def test_a_request_held_up_after_its_last_check_moves_the_next_slot_back_as_far() -> None:
    """Held up between the check as its headers are about to be written and the end of its body (here by a trace
    callback of its own, which the transport calls after its check): the request is sent, late, and the tenant's
    next slot comes a gap after it was written, not a gap after its slot."""
    clock = FakeClock()
    store = _TellingStore(clock)
    budget = TenantBudget(store, "acme", 5, Priority.BACKGROUND, margin=0.1, clock=clock, sleep=clock.sleep)
    hold_ups = [0.17]

    def held_up(event: str, _: object) -> None:
        if event == "http11.send_request_headers.started" and hold_ups:
            clock.advance_to(clock() + hold_ups.pop())

    limited = RateLimitedTransport(httpx.HTTPTransport(), budget)
    with WebhookReceiver() as workday, httpx.Client(transport=limited) as client:
        client.post(workday.url, json={"n": 1}, extensions={"trace": held_up})
        client.post(workday.url, json={"n": 2})

    assert workday.received == [{"n": 1}, {"n": 2}]
    first, second = store.granted
    [(tenant, slot, late)] = store.told
    assert (tenant, slot) == ("acme", first)
    assert late == pytest.approx(170_000, abs=1)
    assert second == first + late + budget.pace.gap


def test_a_request_on_time_tells_the_store_nothing() -> None:
    clock = FakeClock()
    store = _TellingStore(clock)
    budget = TenantBudget(store, "acme", 5, Priority.BACKGROUND, margin=0.1, clock=clock, sleep=clock.sleep)

    limited = RateLimitedTransport(httpx.HTTPTransport(), budget)
    with WebhookReceiver() as workday, httpx.Client(transport=limited) as client:
        for n in range(3):
            client.post(workday.url, json={"n": n})

    assert len(workday.received) == 3
    assert store.told == []
    assert store.calls == ["take"] * 3


def test_a_background_caller_asks_only_once_the_request_before_it_was_written() -> None:
    """The process's next background caller waits for the request ahead of it: a late one moves the slots back
    before the next is handed out, however many threads wait."""
    clock = FakeClock()
    store = _TellingStore(clock)
    budget = TenantBudget(store, "acme", 5, Priority.BACKGROUND, margin=0.1, clock=clock, sleep=clock.sleep)
    ahead = budget.reserve()
    store.asked.clear()
    behind: list[Slot] = []
    waiting = threading.Thread(target=lambda: behind.append(budget.take()))
    waiting.start()

    asked_while_ahead_unwritten = store.asked.wait(timeout=0.2)
    clock.advance_to(clock() + 0.17)
    ahead.sent()
    waiting.join()

    assert not asked_while_ahead_unwritten
    assert store.calls == ["take", "sent_late", "take"]
    assert behind[0].at == store.granted[0] + store.told[0][2] + budget.pace.gap


def test_a_reservation_given_up_unwritten_lets_the_next_caller_ask() -> None:
    clock = FakeClock()
    store = _TellingStore(clock)
    budget = TenantBudget(store, "acme", 5, Priority.BACKGROUND, clock=clock, sleep=clock.sleep)
    given_up = budget.reserve()
    given_up.done()
    given_up.done()  # told twice: the turn ends once (a second release of the turn would raise)

    def next_callers_ask() -> None:
        budget.reserve().done()
        budget.take()

    next_callers = threading.Thread(target=next_callers_ask, daemon=True)
    next_callers.start()
    next_callers.join(timeout=10)  # returns at once unless a turn was never given back

    assert not next_callers.is_alive(), "the next caller still waits for a turn given up"
    assert store.calls == ["take"] * 3


class _SlowToConnect(InMemoryBudgetStore):
    """Takes ``before`` seconds to get a connection (before its asking) and ``after`` to answer (after it)."""

    def __init__(self, clock: FakeClock, *, before: float = 0.0, after: float = 0.0) -> None:
        super().__init__(clock)
        self.asks = 0
        self._fake_clock, self._before, self._after = clock, before, after

    def take(self, tenant: str, pace: Pace, priority: Priority, *, asking: Callable[[], None] = unheard) -> Decision:
        self.asks += 1
        self._fake_clock.advance_to(self._fake_clock() + self._before)
        decision = super().take(tenant, pace, priority, asking=asking)
        self._fake_clock.advance_to(self._fake_clock() + self._after)
        return decision


@pytest.mark.parametrize(("before", "after", "asks"), [(0.3, 0.0, 1), (0.0, 0.3, 1 + RETAKES)])
def test_only_the_time_from_the_store_reading_its_clock_makes_a_caller_late(
    before: float, after: float, asks: int
) -> None:
    """A wait for a connection comes before the store reads its clock: the slot is reckoned from that reading, so
    the caller is on time; an answer slow to come back may hide that the slot is passing, so it counts."""
    clock = FakeClock()
    store = _SlowToConnect(clock, before=before, after=after)
    budget = TenantBudget(store, "acme", 5, Priority.INTERACTIVE, clock=clock, sleep=clock.sleep)

    budget.take()

    assert store.asks == asks
