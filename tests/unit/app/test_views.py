"""The read-only views on fakes: content listed and shown, skills listed, and learners' and courses'
enrollments as Workday holds them, with how each was made."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from returns.result import Failure, Success

from adapters.fakes import InMemoryCoverImages, InMemoryEnrollmentRegistry, InMemoryWorkdayLearning
from app.use_cases.lms import PushCompletion, RefusalReason, UpsertContent
from app.use_cases.views import ListContent, ListEnrollments, ListSkills, ShowContent
from domain.course_wrapper import AccountSettings
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.learning_content import Content, Named

SKILLS = [Named("Negotiation", "SKILL_NEGOTIATION"), Named("data analysis", "SKILL_DATA"), Named("Audit")]
DONE = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def workday() -> InMemoryWorkdayLearning:
    workday = InMemoryWorkdayLearning([Named("Sales", "TOPIC_SALES")], SKILLS)
    upsert = UpsertContent(workday, workday, InMemoryCoverImages(), AccountSettings())
    for reference, title, active in (("REF-B", "Bids", True), ("ref-a", "Audits", False), ("REF-C", "Cases", True)):
        content = Content(
            title, reference, f"https://p.example/{reference}", categories=(Named("Sales"),), active=active
        )
        upsert(content).unwrap()
    return workday


@pytest.fixture
def registry(workday: InMemoryWorkdayLearning) -> InMemoryEnrollmentRegistry:
    return InMemoryEnrollmentRegistry(learners={"21001", "21002"}, catalog=workday)


def test_content_is_listed_by_external_reference_ignoring_case_with_whether_it_is_active(
    workday: InMemoryWorkdayLearning,
) -> None:
    listed = ListContent(workday)()

    assert [(c.external_reference, c.title, c.active) for c in listed] == [
        ("ref-a", "Audits", False),
        ("REF-B", "Bids", True),
        ("REF-C", "Cases", True),
    ]


def test_one_course_is_shown_by_its_exact_reference_and_an_unknown_one_is_a_404(
    workday: InMemoryWorkdayLearning,
) -> None:
    match ShowContent(workday)("REF-B"):
        case Success(detail):
            assert (detail.course.title, [c.name for c in detail.categories]) == ("Bids", ["Sales"])
        case Failure(refusal):
            pytest.fail(refusal.message)
    refused = ShowContent(workday)("ref-b").failure()
    assert (refused.reason, refused.field) == (RefusalReason.NOT_FOUND, "external_reference")
    assert "'ref-b'" in refused.message


def test_skills_are_listed_by_name_ignoring_case(workday: InMemoryWorkdayLearning) -> None:
    assert [s.name for s in ListSkills(workday)()] == ["Audit", "data analysis", "Negotiation"]


def test_a_learners_enrollments_in_every_course_show_which_workday_made_on_launch(
    workday: InMemoryWorkdayLearning, registry: InMemoryEnrollmentRegistry
) -> None:
    launched = registry.launch("21001", "REF-C")
    PushCompletion(workday, registry)(LearningCompletion("21001", "REF-B", CompletionResult.PASS, DONE)).unwrap()
    registry.launch("21002", "REF-B")

    mine = ListEnrollments(workday, registry)("21001", None).unwrap()

    assert [(e.course_reference, e.launched_only, e.result, e.completed_at) for e in mine] == [
        ("REF-B", False, CompletionResult.PASS, DONE),
        ("REF-C", True, None, None),
    ]
    assert mine[1].workday_id == launched.workday_id


def test_a_courses_enrollments_are_every_learners_and_a_completion_on_a_launch_keeps_its_origin(
    workday: InMemoryWorkdayLearning, registry: InMemoryEnrollmentRegistry
) -> None:
    registry.launch("21002", "REF-B")
    PushCompletion(workday, registry)(LearningCompletion("21002", "REF-B", CompletionResult.FAIL, DONE)).unwrap()
    PushCompletion(workday, registry)(LearningCompletion("21001", "REF-B", CompletionResult.PASS, DONE)).unwrap()
    registry.launch("21001", "REF-C")

    listed = ListEnrollments(workday, registry)(None, "REF-B").unwrap()

    assert [(e.learner_id, e.result, e.launched_only) for e in listed] == [
        ("21001", CompletionResult.PASS, False),
        ("21002", CompletionResult.FAIL, True),
    ]


def test_enrollments_of_an_unknown_course_are_a_404_and_naming_nothing_is_a_422(
    workday: InMemoryWorkdayLearning, registry: InMemoryEnrollmentRegistry
) -> None:
    unknown = ListEnrollments(workday, registry)("21001", "NOPE").failure()
    nothing = ListEnrollments(workday, registry)(None, None).failure()

    assert (unknown.reason, unknown.field) == (RefusalReason.NOT_FOUND, "external_reference")
    assert nothing.reason is RefusalReason.INVALID
    assert ListEnrollments(workday, registry)("99999", None).unwrap() == []
