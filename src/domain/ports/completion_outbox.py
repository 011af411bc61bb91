from __future__ import annotations

from abc import abstractmethod
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from domain.learning_completions import LearningCompletion
from domain.outbox import OutboxEntry
from domain.ports.sent_completions import SentCompletions


@runtime_checkable
class CompletionOutbox(SentCompletions, Protocol):
    """The completions the provider sent, each kept until Workday holds it, and the record of what was sent.

    Contract (beside ``SentCompletions``'):
    - ``enqueue(account, completion, now)`` adds a pending entry, or finds the one already holding the same
      account, learner, course reference and completion time (the first payload wins); True when it was added.
    - ``claim(entry_id, now, lease)`` claims a pending entry until ``now + lease`` when no live claim holds it,
      nor another entry of its learner and course (two deliveries of one pair at once could each create an
      enrollment); None otherwise.
    - ``get(entry_id)`` is the entry as it now stands, or None.
    - ``mark_delivered``, ``mark_failed`` and ``retry_later`` settle a claimed entry: delivered onto an
      enrollment of a course (by Workday ID), refused for good with the reason, or left pending with the
      reason, not to be claimed before ``not_before``. Each releases the claim.
    - A store that cannot be read or written raises ``domain.errors.LedgerUnavailable`` (a subclass).
    """

    @abstractmethod
    def enqueue(self, account: str, completion: LearningCompletion, now: datetime) -> tuple[OutboxEntry, bool]: ...

    @abstractmethod
    def claim(self, entry_id: int, now: datetime, lease: timedelta) -> OutboxEntry | None: ...

    @abstractmethod
    def get(self, entry_id: int) -> OutboxEntry | None: ...

    @abstractmethod
    def mark_delivered(self, entry_id: int, enrollment_id: str, course_id: str, now: datetime) -> None: ...

    @abstractmethod
    def mark_failed(self, entry_id: int, error: str, now: datetime) -> None: ...

    @abstractmethod
    def retry_later(self, entry_id: int, error: str, now: datetime, not_before: datetime) -> None: ...
