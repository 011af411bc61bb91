"""The reconciliation rules (``domain.completion_reconciliation``): examples for each finding, and properties
over random provider histories and Workday states."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.completion_reconciliation import (
    Discrepancy,
    Finding,
    SentCompletion,
    SentState,
    reconcile,
)
from domain.errors import InvalidValue
from domain.learning_completions import CompletionResult, Enrollment, LearningCompletion, enrollment_to_update

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
PASS, FAIL = CompletionResult.PASS, CompletionResult.FAIL


def sent(
    learner: str,
    course: str,
    state: SentState = SentState.DELIVERED,
    result: CompletionResult = PASS,
    minutes: int = 0,
    enrollment: str | None = None,
) -> SentCompletion:
    """A completion sent on course ``course``: here a course's Workday ID and its reference are the same name."""
    completion = LearningCompletion(learner, course, result, T0 + timedelta(minutes=minutes))
    return SentCompletion(completion, state, course_id=course, enrollment_id=enrollment)


def enrolled(
    wid: str, learner: str, course: str, result: CompletionResult | None = PASS, *, launched: bool = False
) -> Enrollment:
    completed = None if result is None else T0
    return Enrollment(wid, learner, course, course, completed, result, launched_only=launched)


def findings(found: list[Discrepancy] | tuple[Discrepancy, ...]) -> list[tuple[Finding, str, str]]:
    return [(d.finding, d.learner_id, d.course_reference) for d in found]


def test_each_finding_from_one_small_tenant() -> None:
    provider = [
        sent("1", "A"),  # matched
        sent("2", "A"),  # missing
        sent("3", "A", result=FAIL),  # differs
        sent("4", "A"),
        sent("4", "A", SentState.WITHDRAWN, minutes=5),  # withdrawn, still in Workday: extra
        sent("5", "A", SentState.PENDING),  # in flight
        sent("6", "B", SentState.REFUSED),  # refused by Workday for good: reported, left to an operator
    ]
    workday = [
        enrolled("w1", "1", "A"),
        enrolled("w3", "3", "A", PASS),
        enrolled("w4", "4", "A"),
        enrolled("w7", "7", "A", launched=True),  # auto-completed on launch
        enrolled("w8", "8", "A"),  # completed by someone else: extra
        enrolled("w9", "9", "A", None, launched=True),  # launched, not completed: not compared
    ]

    found = reconcile(provider, workday)

    assert findings(found.discrepancies) == [
        (Finding.MISSING, "2", "A"),
        (Finding.DIFFERS, "3", "A"),
        (Finding.EXTRA, "4", "A"),
        (Finding.REFUSED, "6", "B"),
        (Finding.AUTO_COMPLETED, "7", "A"),
        (Finding.EXTRA, "8", "A"),
    ]
    assert (found.matched, found.in_flight) == (1, 1)


def test_a_duplicate_enrollment_is_extra_and_the_one_a_push_updates_is_kept() -> None:
    found = reconcile([sent("1", "A")], [enrolled("w2", "1", "A"), enrolled("w1", "1", "A")])

    assert findings(found.discrepancies) == [(Finding.EXTRA, "1", "A")]
    assert found.discrepancies[0].enrollment is not None
    assert found.discrepancies[0].enrollment.workday_id == "w2"
    assert found.matched == 1


def test_the_latest_completion_wins_and_a_tie_goes_to_the_one_sent_last() -> None:
    later_fail = reconcile(
        [sent("1", "A", minutes=9, result=FAIL), sent("1", "A", minutes=1)], [enrolled("w", "1", "A")]
    )
    tie = reconcile([sent("1", "A", result=FAIL), sent("1", "A")], [enrolled("w", "1", "A")])

    assert findings(later_fail.discrepancies) == [(Finding.DIFFERS, "1", "A")]
    assert tie.discrepancies == ()


def test_a_discrepancy_holds_what_its_fix_needs() -> None:
    with pytest.raises(InvalidValue, match="completion"):
        Discrepancy(Finding.MISSING, "1", "A")
    with pytest.raises(InvalidValue, match="enrollment"):
        Discrepancy(Finding.AUTO_COMPLETED, "1", "A")
    with pytest.raises(InvalidValue, match="completion"):
        Discrepancy(Finding.REFUSED, "1", "A")


def test_a_completion_sent_under_a_reference_that_moved_is_still_that_courses() -> None:
    before_the_move = SentCompletion(
        LearningCompletion("1", "ADV-SALES-001", PASS, T0),
        SentState.DELIVERED,
        course_id="wid-course",
        enrollment_id="w1",
    )
    moved = Enrollment("w1", "1", "wid-course", "ADV-SALES-002", T0, PASS)

    found = reconcile([before_the_move], [moved])

    assert found.discrepancies == ()
    assert found.matched == 1


def test_an_enrollment_the_provider_delivered_onto_is_never_rescinded() -> None:
    mine, launched = enrolled("w9", "1", "A"), enrolled("w1", "1", "A", launched=True)

    found = reconcile([sent("1", "A", enrollment="w9")], [mine, launched])

    assert [(d.finding, d.enrollment) for d in found.discrepancies] == [(Finding.EXTRA, launched)]


def test_a_refused_completion_is_reported_with_workdays_reason_and_left_alone() -> None:
    refused = replace(sent("1", "A", SentState.REFUSED), note="Invalid ID value. '1'", settled_at=T0)
    launched = enrolled("w1", "1", "A", FAIL, launched=True)

    found = reconcile([refused], [launched])

    (d,) = found.discrepancies
    assert (d.finding, d.pushes, d.rescinds, d.refusal) == (Finding.REFUSED, False, False, refused)
    assert found.to_fix == ()


def test_a_completion_whose_course_is_not_known_is_missing_under_its_reference() -> None:
    nowhere = SentCompletion(LearningCompletion("1", "GONE", PASS, T0), SentState.DELIVERED)

    found = reconcile([nowhere], [enrolled("w1", "1", "A")])

    assert [(d.finding, d.course_reference, d.course_id) for d in found.discrepancies] == [
        (Finding.MISSING, "GONE", None),
        (Finding.EXTRA, "A", "A"),
    ]


LEARNERS = st.sampled_from(["1", "2", "3"])
COURSES = st.sampled_from(["A", "B"])
RESULTS = st.sampled_from([PASS, FAIL])
SENT = st.builds(
    sent, LEARNERS, COURSES, st.sampled_from(list(SentState)), RESULTS, st.integers(min_value=0, max_value=3)
)
ENROLLMENT_SHAPES = st.tuples(LEARNERS, COURSES, st.one_of(st.none(), RESULTS), st.booleans())


def enrollments_from(shapes: list[tuple[str, str, CompletionResult | None, bool]]) -> list[Enrollment]:
    return [enrolled(f"w{n:03d}", *shape[:3], launched=shape[3]) for n, shape in enumerate(shapes)]


def apply_fixes(workday: list[Enrollment], found: tuple[Discrepancy, ...]) -> list[Enrollment]:
    """What Workday holds after each fix: a push updates the enrollment a push would pick (or adds one), a
    rescind removes the enrollment."""
    held = {e.workday_id: e for e in workday}
    ids = itertools.count(1000)
    for d in found:
        if d.pushes:
            assert d.completion is not None
            assert d.course_id is not None
            mine = [e for e in held.values() if (e.learner_id, e.course_id) == (d.learner_id, d.course_id)]
            target = enrollment_to_update(mine) or Enrollment(f"w{next(ids)}", d.learner_id, d.course_id)
            held[target.workday_id] = replace(
                target, completed_at=d.completion.completed_at, result=d.completion.result
            )
        elif d.rescinds:
            assert d.enrollment is not None
            del held[d.enrollment.workday_id]
    return list(held.values())


@given(st.lists(SENT, max_size=12), st.lists(ENROLLMENT_SHAPES, max_size=10))
def test_after_the_fixes_a_second_reconcile_finds_nothing(
    provider: list[SentCompletion], shapes: list[tuple[str, str, CompletionResult | None, bool]]
) -> None:
    workday = enrollments_from(shapes)
    found = reconcile(provider, workday)

    again = reconcile(provider, apply_fixes(workday, found.discrepancies))

    assert again.to_fix == ()
    assert again.count(Finding.REFUSED) == found.count(Finding.REFUSED)
    assert again.in_flight == found.in_flight


def latest_sent(provider: list[SentCompletion]) -> dict[tuple[str, str], SentCompletion]:
    latest: dict[tuple[str, str], SentCompletion] = {}
    for item in provider:
        key = (item.completion.learner_id, item.completion.learning_object_external_reference)
        if key not in latest or item.completion.completed_at >= latest[key].completion.completed_at:
            latest[key] = item
    return latest


@given(st.lists(SENT, max_size=12), st.lists(ENROLLMENT_SHAPES, max_size=10))
def test_every_completion_the_provider_holds_is_matched_missing_or_differs_once(
    provider: list[SentCompletion], shapes: list[tuple[str, str, CompletionResult | None, bool]]
) -> None:
    found = reconcile(provider, enrollments_from(shapes))

    latest = latest_sent(provider)
    held = [s for s in latest.values() if s.state in (SentState.DELIVERED, SentState.REFUSED)]
    pushing = [d for d in found.discrepancies if d.pushes or d.finding is Finding.REFUSED]
    assert found.matched + len(pushing) == len(held)
    assert found.in_flight == sum(1 for s in latest.values() if s.state is SentState.PENDING)
    assert len({(d.learner_id, d.course_reference) for d in pushing}) == len(pushing)


@given(st.lists(SENT, max_size=12), st.lists(ENROLLMENT_SHAPES, max_size=10))
def test_only_completed_enrollments_are_rescinded_and_nothing_in_flight_is_touched(
    provider: list[SentCompletion], shapes: list[tuple[str, str, CompletionResult | None, bool]]
) -> None:
    found = reconcile(provider, enrollments_from(shapes))

    in_flight = {key for key, s in latest_sent(provider).items() if s.state is SentState.PENDING}
    for d in found.discrepancies:
        assert (d.learner_id, d.course_reference) not in in_flight
        if d.rescinds:
            assert d.enrollment is not None
            assert d.enrollment.completed_at is not None


DELIVERED_ONTO = st.builds(
    sent,
    LEARNERS,
    COURSES,
    st.sampled_from(list(SentState)),
    RESULTS,
    st.integers(min_value=0, max_value=3),
    st.sampled_from([None, *(f"w{n:03d}" for n in range(6))]),
)


@given(st.lists(DELIVERED_ONTO, max_size=12), st.lists(ENROLLMENT_SHAPES, max_size=10))
def test_no_enrollment_a_completion_was_delivered_onto_and_not_withdrawn_is_rescinded(
    provider: list[SentCompletion], shapes: list[tuple[str, str, CompletionResult | None, bool]]
) -> None:
    found = reconcile(provider, enrollments_from(shapes))

    delivered_onto = {s.enrollment_id for s in provider if s.state is SentState.DELIVERED}
    rescinded = {d.enrollment.workday_id for d in found.discrepancies if d.rescinds and d.enrollment is not None}
    assert not rescinded & delivered_onto
