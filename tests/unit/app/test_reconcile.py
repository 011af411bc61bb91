"""ReconcileCompletions on fakes: which courses it compares, and fixes that Workday refuses."""

from datetime import UTC, datetime

from adapters.fakes import (
    InMemoryCoverImages,
    InMemoryEnrollmentRegistry,
    InMemorySentCompletions,
    InMemoryWorkdayLearning,
)
from app.use_cases.lms import PushCompletion, UpsertContent
from app.use_cases.reconcile import ReconcileCompletions
from domain.completion_reconciliation import Finding, SentState
from domain.course_wrapper import AccountSettings
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.learning_content import Content, Named

ACCOUNT = "acme"


def world() -> tuple[InMemoryWorkdayLearning, InMemoryEnrollmentRegistry, InMemorySentCompletions]:
    workday = InMemoryWorkdayLearning(topics=[Named("Sales")])
    upsert = UpsertContent(workday, workday, InMemoryCoverImages(), AccountSettings())
    for reference in ("A", "B", "OTHER-VENDOR"):
        upsert(Content(reference, reference, f"https://p.example/{reference}", categories=(Named("Sales"),))).unwrap()
    return workday, InMemoryEnrollmentRegistry(learners={"1", "2", "3"}, catalog=workday), InMemorySentCompletions()


def completion(learner: str, course: str) -> LearningCompletion:
    return LearningCompletion(learner, course, CompletionResult.PASS, datetime(2026, 5, 1, tzinfo=UTC))


def use_case(
    workday: InMemoryWorkdayLearning, registry: InMemoryEnrollmentRegistry, sent: InMemorySentCompletions
) -> ReconcileCompletions:
    return ReconcileCompletions(workday, registry, sent, PushCompletion(workday, registry), ACCOUNT)


def test_by_default_only_courses_the_account_sent_completions_for_are_compared() -> None:
    workday, registry, sent = world()
    sent.send(ACCOUNT, completion("1", "A"))
    sent.send("globex", completion("1", "B"))  # another account's completions are not ours
    registry.launch("2", "A")
    registry.complete(completion("2", "A"), registry.enrollments("2", "A")[0])
    registry.launch("3", "OTHER-VENDOR")
    registry.complete(completion("3", "OTHER-VENDOR"), registry.enrollments("3", "OTHER-VENDOR")[0])

    default = use_case(workday, registry, sent)()
    everything = use_case(workday, registry, sent)(all_courses=True)

    assert default.courses == ("A",)
    assert [(d.finding, d.learner_id) for d in default.reconciliation.discrepancies] == [
        (Finding.MISSING, "1"),
        (Finding.AUTO_COMPLETED, "2"),
    ]
    assert everything.courses == ("A", "B", "OTHER-VENDOR")
    assert everything.reconciliation.count(Finding.AUTO_COMPLETED) == 2
    assert registry.puts == 2, "a dry run changes nothing"


def test_a_fix_workday_refuses_is_reported_and_the_others_are_still_made() -> None:
    workday, registry, sent = world()
    sent.send(ACCOUNT, completion("999", "A"), SentState.REFUSED)  # a learner Workday does not know
    sent.send(ACCOUNT, completion("1", "A"))

    result = use_case(workday, registry, sent)(fix=True)

    assert [(f.discrepancy.learner_id, f.error is None) for f in result.fixes] == [("1", True), ("999", False)]
    (failed,) = result.failed
    assert failed.error is not None
    assert "'999'" in failed.error
    assert [e.learner_id for e in registry.enrollments(None, "A")] == ["1"]
