"""PushCompletion and DeleteCompletion on fakes: how Workday's answers become the API's refusals, which the
completion outbox reads to decide between failing an entry for good and trying it again."""

from datetime import UTC, datetime

import pytest
from returns.result import Failure, Success

from adapters.fakes import (
    FixedClock,
    InMemoryCompletionOutbox,
    InMemoryCoverImages,
    InMemoryEnrollmentRegistry,
    InMemoryWorkdayLearning,
)
from app.use_cases.lms import DeleteCompletion, PushCompletion, RefusalReason, UpsertContent
from domain.completion_reconciliation import SentState
from domain.course_wrapper import AccountSettings
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.learning_content import Content, Named

COURSE = "CLOSE-1"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def world() -> tuple[InMemoryWorkdayLearning, InMemoryEnrollmentRegistry]:
    workday = InMemoryWorkdayLearning(topics=[Named("Sales", "TOPIC_SALES")])
    content = Content(
        title="Closing Deals",
        external_reference=COURSE,
        content_url="https://provider.example.com/close-1",
        categories=(Named("Sales"),),
    )
    UpsertContent(workday, workday, InMemoryCoverImages(), AccountSettings())(content).unwrap()
    return workday, InMemoryEnrollmentRegistry(learners={"21001"}, catalog=workday)


def completion(learner: str, reference: str = COURSE) -> LearningCompletion:
    return LearningCompletion(learner, reference, CompletionResult.PASS, datetime(2026, 5, 1, 9, 30, tzinfo=UTC))


def test_a_learner_workday_refuses_is_a_422_naming_them_with_workdays_words(
    world: tuple[InMemoryWorkdayLearning, InMemoryEnrollmentRegistry],
) -> None:
    workday, registry = world

    refused = PushCompletion(workday, registry)(completion("999999")).failure()

    assert refused.reason is RefusalReason.INVALID
    assert "'999999'" in refused.provider_errors[0]
    assert "Employee_ID" in refused.provider_errors[0]


def test_workday_failing_is_a_502_that_may_be_tried_again_and_then_succeeds(
    world: tuple[InMemoryWorkdayLearning, InMemoryEnrollmentRegistry],
) -> None:
    workday, registry = world
    registry.unavailable = 1
    push = PushCompletion(workday, registry)

    first = push(completion("21001"))
    second = push(completion("21001"))

    assert isinstance(first, Failure)
    assert first.failure().reason is RefusalReason.UNAVAILABLE
    assert "tried again" in first.failure().message
    assert isinstance(second, Success)
    assert [e.workday_id for e in registry.enrollments("21001", registry.course_id(COURSE))] == [
        second.unwrap().workday_id
    ]


def test_an_unknown_course_is_a_404_before_workday_is_asked(
    world: tuple[InMemoryWorkdayLearning, InMemoryEnrollmentRegistry],
) -> None:
    workday, registry = world

    refused = PushCompletion(workday, registry)(completion("21001", "NO-SUCH-COURSE")).failure()

    assert (refused.reason, refused.field) == (RefusalReason.NOT_FOUND, "learning_object_external_reference")
    assert registry.puts == 0


def test_deleting_another_learners_completion_is_a_404_and_leaves_it(
    world: tuple[InMemoryWorkdayLearning, InMemoryEnrollmentRegistry],
) -> None:
    workday, registry = world
    done = PushCompletion(workday, registry)(completion("21001")).unwrap()
    delete = DeleteCompletion(registry, InMemoryCompletionOutbox(), "acme", FixedClock(NOW))

    refused = delete("21002", done.workday_id)

    assert isinstance(refused, Failure)
    assert refused.failure().reason is RefusalReason.NOT_FOUND
    assert registry.get(done.workday_id) == done


def test_deleting_withdraws_the_accounts_completions_on_that_enrollment_and_nothing_else(
    world: tuple[InMemoryWorkdayLearning, InMemoryEnrollmentRegistry],
) -> None:
    workday, registry = world
    registry.learners = {"21001", "21002"}
    push = PushCompletion(workday, registry)
    mine, other = push(completion("21001")).unwrap(), push(completion("21002")).unwrap()
    sent = InMemoryCompletionOutbox()
    sent.send("acme", completion("21001"), enrollment_id=mine.workday_id)
    sent.send("acme", completion("21002"), enrollment_id=other.workday_id)
    sent.send("globex", completion("21001"), enrollment_id=mine.workday_id)

    assert isinstance(DeleteCompletion(registry, sent, "acme", FixedClock(NOW))("21001", mine.workday_id), Success)

    assert [s.state for s in sent.sent("acme")] == [SentState.WITHDRAWN, SentState.DELIVERED]
    assert [s.state for s in sent.sent("globex")] == [SentState.DELIVERED]
    assert registry.get(mine.workday_id) is None
