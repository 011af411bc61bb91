"""The completion outbox's entries: completions the provider sent, waiting for, or settled by, their delivery to
Workday; and how long a transient failure waits before the next attempt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.learning_completions import LearningCompletion


class OutboxStatus(StrEnum):
    PENDING = "pending"
    """Not yet delivered; a transient failure keeps an entry pending and retries it later."""
    DELIVERED = "delivered"
    FAILED = "failed"
    """Refused by Workday (or the connector) for good: not retried."""
    DELETED = "deleted"
    """Delivered, then withdrawn from Workday by a DELETE."""


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    account: str
    completion: LearningCompletion
    status: OutboxStatus
    attempts: int
    created_at: datetime
    updated_at: datetime
    next_attempt_at: datetime
    enrollment_id: str | None = None
    course_id: str | None = None
    """The Workday ID of the course it was delivered to."""
    error: str | None = None


CLAIM_LEASE = timedelta(minutes=10)
"""How long a claim holds an entry: past it, the entry of a deliverer that died is delivered by another. Longer
than a delivery can take with every retry spent (three calls of up to 120 s of waits each), so a claim never
lapses under a delivery still running."""


def backoff(
    attempts: int, first: timedelta = timedelta(seconds=5), cap: timedelta = timedelta(minutes=15)
) -> timedelta:
    """The wait before attempt ``attempts + 1``: 5 s, doubled each time, at most 15 minutes."""
    doubled: timedelta = first * 2 ** min(max(attempts - 1, 0), 20)
    return min(doubled, cap)
