"""The rule every store applies: slots a gap apart whoever takes them; interactive callers take the next slot at
once and hold the budget for a window after it; background callers take only slots outside the holds, at most one
gap ahead."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.budget.rule import (
    MICROS,
    NO_STATE,
    STALE_AHEAD,
    BudgetState,
    Decision,
    Deferred,
    Granted,
    Pace,
    Priority,
    decide,
    sent_late,
)
from tests.fake_time import most_starts_in_one_window

paces = st.builds(Pace.of, st.integers(min_value=1, max_value=50), st.sampled_from([0.0, 0.03]))
asks = st.lists(
    st.tuples(st.integers(min_value=0, max_value=2 * MICROS), st.sampled_from(Priority)), min_size=1, max_size=60
)


def run(pace: Pace, asks: list[tuple[int, Priority]]) -> list[tuple[Priority, BudgetState, Decision]]:
    """Each ask comes ``after`` µs after the one before; returns each with the state it met and its decision."""
    state, now, seen = NO_STATE, 10 * MICROS, []
    for after, priority in asks:
        now += after
        met = state
        state, decision = decide(state, now, pace, priority)
        seen.append((priority, met, decision))
    return seen


@given(rate=st.integers(min_value=1, max_value=1000), margin=st.sampled_from([0.0, 0.03, 0.5]))
def test_a_pace_spreads_the_rate_over_the_window_and_never_fits_one_more(rate: int, margin: float) -> None:
    pace = Pace.of(rate, margin)

    assert pace.window == round((1 + margin) * MICROS)
    assert rate * pace.gap >= pace.window > rate * (pace.gap - 1)


@pytest.mark.parametrize("rate", [0.0, 0.5, -1.0, float("nan")])
def test_a_rate_below_one_request_a_second_is_refused(rate: float) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Pace.of(rate)


@given(pace=paces, asks=asks)
def test_slots_are_at_least_a_gap_apart_whoever_takes_them(pace: Pace, asks: list[tuple[int, Priority]]) -> None:
    slots = [d.at for _, _, d in run(pace, asks) if isinstance(d, Granted)]

    assert all(later - earlier >= pace.gap for earlier, later in itertools.pairwise(slots))


@given(pace=paces, asks=asks)
def test_an_interactive_caller_takes_the_next_slot_however_far_ahead(
    pace: Pace, asks: list[tuple[int, Priority]]
) -> None:
    for priority, met, decision in run(pace, asks):
        if priority is Priority.INTERACTIVE:
            assert isinstance(decision, Granted)
            assert decision.at == max(decision.now, met.last_slot + pace.gap)


@given(pace=paces, asks=asks)
def test_a_background_caller_takes_a_free_slot_within_a_gap_or_is_told_when_to_ask_again(
    pace: Pace, asks: list[tuple[int, Priority]]
) -> None:
    for priority, met, decision in run(pace, asks):
        if priority is Priority.BACKGROUND:
            free = max(decision.now, met.last_slot + pace.gap, met.interactive_until)
            match decision:
                case Granted(now=now, at=at):
                    assert at == free
                    assert at - now <= pace.gap
                case Deferred(now=now, retry_at=retry_at):
                    assert retry_at == free - pace.gap > now


@given(pace=paces, asks=asks)
def test_no_background_slot_falls_within_a_window_after_an_interactive_one_nor_more_than_one_before_it(
    pace: Pace, asks: list[tuple[int, Priority]]
) -> None:
    seen = run(pace, asks)
    background = [d.at for p, _, d in seen if p is Priority.BACKGROUND and isinstance(d, Granted)]
    for priority, _, decision in seen:
        if priority is Priority.INTERACTIVE:
            assert isinstance(decision, Granted)
            assert not [b for b in background if decision.at <= b < decision.at + pace.window]
            assert len([b for b in background if decision.now < b < decision.at]) <= 1


def test_background_takes_the_first_slot_after_the_interactive_hold() -> None:
    pace = Pace.of(5)
    state, interactive = decide(NO_STATE, 1_000, pace, Priority.INTERACTIVE)

    state, deferred = decide(state, 2_000, pace, Priority.BACKGROUND)
    _, granted = decide(state, 1_000 + pace.window - pace.gap, pace, Priority.BACKGROUND)

    assert interactive == Granted(1_000, 1_000)
    assert deferred == Deferred(2_000, 1_000 + pace.window - pace.gap)
    assert granted == Granted(1_000 + pace.window - pace.gap, 1_000 + pace.window)


def test_a_state_far_ahead_of_the_clock_is_forgotten_not_waited_out() -> None:
    pace = Pace.of(5)
    ahead = BudgetState(last_slot=3_600 * MICROS, interactive_until=3_600 * MICROS + pace.window)
    edge = ahead.interactive_until - STALE_AHEAD

    _, set_back = decide(ahead, edge - 1, pace, Priority.BACKGROUND)
    _, waiting = decide(ahead, edge, pace, Priority.INTERACTIVE)

    assert set_back == Granted(edge - 1, edge - 1)
    assert waiting == Granted(edge, ahead.last_slot + pace.gap)


@given(pace=paces, asks=asks)
def test_a_forgettable_state_decides_as_no_state(pace: Pace, asks: list[tuple[int, Priority]]) -> None:
    seen = run(pace, asks)
    _, state, _ = seen[-1]
    later = state.forgettable_at(pace)
    for priority in Priority:
        assert decide(state, later, pace, priority)[1] == decide(NO_STATE, later, pace, priority)[1]


def background_sends(pace: Pace, hold_ups: list[int], *, told: bool = True) -> list[int]:
    """When each request of a backlog reaches Workday: background callers of one process, one after another (the
    next asks once the request before it was written, ``TenantBudget.reserve``), each request written ``hold_up``
    µs after its slot, and, when ``told``, the store told of each late one as it is written."""
    state, now, sends = NO_STATE, 10 * MICROS, []
    for hold_up in hold_ups:
        while True:
            state, decision = decide(state, now, pace, Priority.BACKGROUND)
            if isinstance(decision, Granted):
                break
            now = decision.retry_at
        sends.append(decision.at + hold_up)
        if hold_up and told:
            state = sent_late(state, decision.at, hold_up)
        now = decision.at + hold_up
    return sends


hold_ups = st.lists(st.one_of(st.just(0), st.integers(min_value=1, max_value=3 * MICROS // 2)), min_size=1, max_size=80)


@given(rate=st.integers(min_value=1, max_value=20), margin=st.sampled_from([0.0, 0.03, 0.15]), hold_ups=hold_ups)
def test_requests_written_late_still_keep_to_the_rate_as_workday_sees_them(
    rate: int, margin: float, hold_ups: list[int]
) -> None:
    pace = Pace.of(rate, margin)

    sends = background_sends(pace, hold_ups)

    assert most_starts_in_one_window(sends, pace.window) <= rate


def test_without_being_told_a_request_written_late_puts_one_too_many_in_a_window() -> None:
    pace = Pace.of(5, 0.15)
    held_up = [0, 0, 0, 0, 170_000] + [0] * 6

    assert most_starts_in_one_window(background_sends(pace, held_up, told=False), pace.window) == 6
    assert most_starts_in_one_window(background_sends(pace, held_up), pace.window) == 5


def test_a_request_written_late_moves_the_slots_not_yet_handed_out_back_as_far() -> None:
    pace = Pace.of(5)
    state, first = decide(NO_STATE, 1_000, pace, Priority.BACKGROUND)
    state, ahead = decide(state, 1_000, pace, Priority.BACKGROUND)
    assert isinstance(first, Granted)
    assert isinstance(ahead, Granted)

    state = sent_late(state, first.at, 170_000)
    _, next_one = decide(state, ahead.at, pace, Priority.INTERACTIVE)

    assert next_one == Granted(ahead.at, ahead.at + pace.gap + 170_000)
    assert sent_late(NO_STATE, 5_000, 170_000).last_slot == 175_000  # forgotten since: a gap after it was sent
