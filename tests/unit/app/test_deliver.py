"""DeliverCompletion on fakes: what each answer of Workday means for the outbox entry."""

from __future__ import annotations

from datetime import UTC, datetime

from returns.result import Failure

from adapters.fakes import FixedClock, InMemoryCompletionOutbox, InMemoryEnrollmentRegistry, InMemoryWorkdayLearning
from app.use_cases.deliver import DeliverCompletion, Settled
from app.use_cases.lms import LmsRefusal, PushCompletion
from domain.course_wrapper import AccountSettings, wrap
from domain.errors import PortUnavailable
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.learning_content import Content, Named
from domain.outbox import CLAIM_LEASE, OutboxEntry, OutboxStatus, backoff

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
COMPLETION = LearningCompletion("21001", "C-1", CompletionResult.PASS, datetime(2026, 5, 1, tzinfo=UTC))


def world() -> tuple[InMemoryCompletionOutbox, InMemoryEnrollmentRegistry, PushCompletion, OutboxEntry]:
    workday = InMemoryWorkdayLearning([Named("Sales")])
    workday.publish(
        wrap(Content("C one", "C-1", "https://p.example/c", categories=(Named("Sales"),)), AccountSettings()), None
    )
    registry = InMemoryEnrollmentRegistry(learners={"21001"}, catalog=workday)
    outbox = InMemoryCompletionOutbox()
    entry, _ = outbox.enqueue("acme", COMPLETION, NOW)
    claimed = outbox.claim(entry.id, NOW, CLAIM_LEASE)
    assert claimed is not None
    return outbox, registry, PushCompletion(workday, registry), claimed


def test_a_completion_workday_takes_is_delivered_with_its_enrollment_and_course() -> None:
    outbox, registry, push, entry = world()

    delivery = DeliverCompletion(push, outbox, FixedClock(NOW))(entry)

    settled = outbox.get(entry.id)
    assert settled is not None
    (enrollment,) = registry.enrollments("21001", None)
    assert (delivery.settled, settled.status, settled.enrollment_id) == (
        Settled.DELIVERED,
        OutboxStatus.DELIVERED,
        enrollment.workday_id,
    )
    assert settled.course_id == enrollment.course_id


def test_a_completion_workday_judges_invalid_fails_for_good_with_workdays_words() -> None:
    outbox, registry, push, entry = world()
    registry.learners = {"someone else"}

    delivery = DeliverCompletion(push, outbox, FixedClock(NOW))(entry)

    settled = outbox.get(entry.id)
    assert settled is not None
    assert (delivery.settled, settled.status) == (Settled.REFUSED, OutboxStatus.FAILED)
    assert settled.error is not None
    assert "'21001'" in settled.error


def test_workday_failing_or_unreachable_leaves_it_pending_until_the_backoff_has_passed() -> None:
    outbox, registry, push, entry = world()
    registry.unavailable = 1

    failed = DeliverCompletion(push, outbox, FixedClock(NOW))(entry)

    def unreachable(completion: LearningCompletion, course_id: str | None = None) -> Failure[LmsRefusal]:
        raise PortUnavailable("Workday could not be reached")

    again = outbox.claim(entry.id, NOW, CLAIM_LEASE)
    assert again is not None
    down = DeliverCompletion(unreachable, outbox, FixedClock(NOW))(again)  # type: ignore[arg-type]

    settled = outbox.get(entry.id)
    assert settled is not None
    assert (failed.settled, down.settled, settled.status) == (Settled.RETRYING, Settled.RETRYING, OutboxStatus.PENDING)
    assert settled.next_attempt_at == NOW + backoff(again.attempts)
    assert settled.error == "Workday could not be reached"
