"""ReconcileCompletions on fakes: which courses it compares, and fixes that Workday refuses."""

from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.fakes import (
    FixedClock,
    InMemoryCompletionOutbox,
    InMemoryCoverImages,
    InMemoryEnrollmentRegistry,
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


def world() -> tuple[InMemoryWorkdayLearning, InMemoryEnrollmentRegistry, InMemoryCompletionOutbox]:
    workday = InMemoryWorkdayLearning(topics=[Named("Sales")])
    upsert = UpsertContent(workday, workday, InMemoryCoverImages(), AccountSettings())
    for reference in ("A", "B", "OTHER-VENDOR"):
        upsert(Content(reference, reference, f"https://p.example/{reference}", categories=(Named("Sales"),))).unwrap()
    return workday, InMemoryEnrollmentRegistry(learners={"1", "2", "3"}, catalog=workday), InMemoryCompletionOutbox()


def completion(learner: str, course: str) -> LearningCompletion:
    return LearningCompletion(learner, course, CompletionResult.PASS, datetime(2026, 5, 1, tzinfo=UTC))


def auto_complete(registry: InMemoryEnrollmentRegistry, learner: str, course: str) -> None:
    """A learner launches the course from Workday's UI, and Workday completes it by itself."""
    launched = registry.launch(learner, course)
    registry.complete(completion(learner, course), launched.course_id, launched)


def use_case(
    workday: InMemoryWorkdayLearning,
    registry: InMemoryEnrollmentRegistry,
    sent: InMemoryCompletionOutbox,
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
    auto_complete(registry, "2", "A")
    auto_complete(registry, "3", "OTHER-VENDOR")

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
    sent.send(ACCOUNT, completion("1", "A"))
    sent.send(ACCOUNT, completion("999", "B"), course_id=registry.course_id("B"))  # delivered, since forgotten

    result = use_case(workday, registry, sent)(fix=True)

    assert [(f.discrepancy.learner_id, f.error is None) for f in result.fixes] == [("1", True), ("999", False)]
    (failed,) = result.failed
    assert failed.error is not None
    assert "'999'" in failed.error
    assert [e.learner_id for e in registry.enrollments(None, registry.course_id("A"))] == ["1"]


def test_a_completion_workday_refused_for_good_is_reported_with_its_reason_and_never_pushed_by_fix() -> None:
    workday, registry, sent = world()
    reason = "Invalid ID value. '999' is not a valid ID value for type = 'Employee_ID'"
    sent.send(ACCOUNT, completion("999", "A"), SentState.REFUSED, note=reason)
    ledger = InMemorySyncLedger()

    dry = use_case(workday, registry, sent, ledger)()
    fixed = use_case(workday, registry, sent, ledger)(fix=True)

    for result in (dry, fixed):
        (d,) = result.reconciliation.discrepancies
        assert (d.finding, d.learner_id, d.refusal is not None and d.refusal.note) == (Finding.REFUSED, "999", reason)
    assert (fixed.fixes, fixed.failed, registry.puts) == ((), (), 0)
    run = ledger.run(fixed.run_id) if fixed.run_id is not None else None
    assert run is not None
    assert run.outcome is RunOutcome.SUCCEEDED
    assert "1 refused by Workday left for an operator" in run.message


def test_a_completion_sent_before_its_courses_reference_moved_is_matched_not_rescinded() -> None:
    workday, registry, sent = world()
    upsert = UpsertContent(workday, workday, InMemoryCoverImages(), AccountSettings())
    upsert(Content("Advanced Sales", "ADV-SALES-001", "https://p.example/a", categories=(Named("Sales"),))).unwrap()
    pushed = PushCompletion(workday, registry)(completion("1", "ADV-SALES-001")).unwrap()
    sent.send(ACCOUNT, completion("1", "ADV-SALES-001"), SentState.DELIVERED, pushed.workday_id, pushed.course_id)
    moved = upsert(Content("Advanced Sales", "ADV-SALES-002", "https://p.example/a", categories=(Named("Sales"),)))
    assert moved.unwrap().rekeyed

    result = use_case(workday, registry, sent)(all_courses=True, fix=True)

    assert result.reconciliation.discrepancies == ()
    assert result.reconciliation.matched == 1
    assert registry.rescinded == {}
    assert "ADV-SALES-002" in result.courses


def test_a_run_that_corrects_is_recorded_with_each_correction_and_a_dry_run_is_not() -> None:
    workday, registry, sent = world()
    sent.send(ACCOUNT, completion("999", "B"), course_id=registry.course_id("B"))  # a learner Workday does not know
    sent.send(ACCOUNT, completion("1", "A"))
    auto_complete(registry, "2", "A")
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
    auto_complete(registry, "2", "A")
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
