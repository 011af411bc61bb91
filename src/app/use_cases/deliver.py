"""``DeliverCompletion``: a completion from the outbox, delivered to Workday and settled in the outbox, the one
place that says what each answer means for the entry. Workday took it: delivered, with the enrollment and
course. Workday judged it invalid (or no course has its reference): failed for good, with the reason, never
sent again by itself. Workday failed, or could not be reached: left pending, tried again after a growing wait."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from returns.result import Failure, Success

from app.errors import ConfigurationError
from app.use_cases.lms import PushCompletion
from domain.errors import PortUnavailable
from domain.outbox import OutboxEntry, backoff
from domain.ports.clock import Clock
from domain.ports.completion_outbox import CompletionOutbox


class Settled(StrEnum):
    DELIVERED = "delivered"
    REFUSED = "refused"
    """Failed for good: Workday (or the connector) judged it invalid."""
    RETRYING = "retrying"
    """Left pending: Workday failed or could not be reached; it is tried again after ``backoff``."""


@dataclass(frozen=True, slots=True)
class Delivery:
    entry: OutboxEntry
    settled: Settled
    detail: str | None = None
    """Workday's words for a refusal, or why it will be tried again."""
    enrollment_id: str | None = None


class DeliverCompletion:
    def __init__(self, push: PushCompletion, outbox: CompletionOutbox, clock: Clock) -> None:
        self._push = push
        self._outbox = outbox
        self._clock = clock

    def __call__(self, entry: OutboxEntry) -> Delivery:
        """Delivers ``entry`` (which the caller has claimed) and settles it. A ledger that cannot be written
        raises: the claim then lapses and the entry is delivered again, an update in Workday."""
        try:
            pushed = self._push(entry.completion, entry.course_id)
        except (PortUnavailable, ConfigurationError) as down:  # Workday, or the tenant's settings, not the item
            return self._retry(entry, str(down))
        now = self._clock.now()
        match pushed:
            case Success(enrollment):
                self._outbox.mark_delivered(entry.id, enrollment.workday_id, enrollment.course_id, now)
                return Delivery(entry, Settled.DELIVERED, enrollment_id=enrollment.workday_id)
            case Failure(refusal) if not refusal.retryable:
                self._outbox.mark_failed(entry.id, str(refusal), now)
                return Delivery(entry, Settled.REFUSED, str(refusal))
            case Failure(refusal):
                return self._retry(entry, str(refusal))
        raise AssertionError("unreachable")  # pragma: no cover

    def _retry(self, entry: OutboxEntry, error: str) -> Delivery:
        now = self._clock.now()
        self._outbox.retry_later(entry.id, error, now, now + backoff(entry.attempts))
        return Delivery(entry, Settled.RETRYING, error)
