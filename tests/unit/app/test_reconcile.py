"""ReconcileCompletions on fakes: which courses it compares, and fixes that Workday refuses."""

from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.fakes import (
    FixedClock,
    InMemoryCoverImages,
    InMemoryEnrollmentRegistry,
    InMemorySentCompletions,
    InMemorySyncLedger,
    InMemoryWorkdayLearning,
)
from app.use_cases.lms import PushCompletion, UpsertContent
from app.use_cases.reconcile import ReconcileCompletions
from domain.completion_reconciliation import Finding, SentState
from domain.course_wrapper import AccountSettings
from domain.errors import PortUnavailable
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.learning_content import Content, Named
from domain.runs import ActionResult, RunKind, RunOutcome

ACCOUNT = "acme"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def world() -> tuple[InMemoryWorkdayLearning, InMemoryEnrollmentRegistry, InMemorySentCompletions]:
    workday = InMemoryWorkdayLearning(topics=[Named("Sales")])
    upsert = UpsertContent(workday, workday, InMemoryCoverImages(), AccountSettings())
    for reference in ("A", "B", "OTHER-VENDOR"):
        upsert(Content(reference, reference, f"https://p.example/{reference}", categories=(Named("Sales"),))).unwrap()
    return workday, InMemoryEnrollmentRegistry(learners={"1", "2", "3"}, catalog=workday), InMemorySentCompletions()


def completion(learner: str, course: str) -> LearningCompletion:
    return LearningCompletion(learner, course, CompletionResult.PASS, datetime(2026, 5, 1, tzinfo=UTC))


def use_case(
    workday: InMemoryWorkdayLearning,
    registry: InMemoryEnrollmentRegistry,
    sent: InMemorySentCompletions,
    ledger: InMemorySyncLedger | None = None,
) -> ReconcileCompletions:
    return ReconcileCompletions(
        workday,
        registry,
        sent,
        PushCompletion(workday, registry),
        ACCOUNT,
        ledger if ledger is not None else InMemorySyncLedger(),
        FixedClock(NOW),
    )


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


def test_a_run_that_corrects_is_recorded_with_each_correction_and_a_dry_run_is_not() -> None:
    workday, registry, sent = world()
    sent.send(ACCOUNT, completion("999", "A"), SentState.REFUSED)  # a learner Workday does not know
    sent.send(ACCOUNT, completion("1", "A"))
    registry.launch("2", "A")
    registry.complete(completion("2", "A"), registry.enrollments("2", "A")[0])
    ledger = InMemorySyncLedger()

    dry = use_case(workday, registry, sent, ledger)()
    fixed = use_case(workday, registry, sent, ledger)(fix=True)

    assert dry.run_id is None
    assert [run.id for run in ledger.runs()] == [fixed.run_id]
    run = ledger.run(fixed.run_id) if fixed.run_id is not None else None
    assert run is not None
    assert (run.kind, run.tenant, run.outcome) == (RunKind.RECONCILE, ACCOUNT, RunOutcome.PARTIAL)
    assert run.counts == {"matched": 0, "missing": 2, "auto-completed": 1, "corrected": 2, "failed": 1}
    actions = ledger.actions(run.id)
    assert [(a.kind, a.subject.split(",")[0], a.result) for a in actions] == [
        ("push", "learner 1", ActionResult.APPLIED),
        ("rescind", "learner 2", ActionResult.APPLIED),
        ("push", "learner 999", ActionResult.FAILED),
    ]
    assert actions[1].why == "auto-completed: Workday completed it on launch; the provider never did"
    assert actions[2].error is not None
    assert "'999'" in actions[2].error


class WorkdayGoneOnRescind(InMemoryEnrollmentRegistry):
    def rescind(self, enrollment: Any) -> Any:
        raise PortUnavailable("Workday could not be reached")


def test_a_correction_stopped_by_an_outage_is_recorded_and_the_run_ends_failed() -> None:
    workday, _, sent = world()
    registry = WorkdayGoneOnRescind(learners={"1", "2", "3"}, catalog=workday)
    sent.send(ACCOUNT, completion("1", "A"))
    registry.launch("2", "A")
    registry.complete(completion("2", "A"), registry.enrollments("2", "A")[0])
    ledger = InMemorySyncLedger()

    with pytest.raises(PortUnavailable):
        use_case(workday, registry, sent, ledger)(fix=True)

    (run,) = ledger.runs()
    assert (run.kind, run.outcome) == (RunKind.RECONCILE, RunOutcome.FAILED)
    assert run.message == "stopped: Workday could not be reached"
    assert [(a.kind, a.result, a.error) for a in ledger.actions(run.id)] == [
        ("push", ActionResult.APPLIED, None),
        ("rescind", ActionResult.FAILED, "stopped: Workday could not be reached"),
    ]
