from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from domain.completion_reconciliation import SentCompletion, SentState
from domain.learning_completions import LearningCompletion
from domain.outbox import OutboxEntry, OutboxStatus
from domain.ports.completion_outbox import CompletionOutbox

_STATES = {
    OutboxStatus.PENDING: SentState.PENDING,
    OutboxStatus.DELIVERED: SentState.DELIVERED,
    OutboxStatus.FAILED: SentState.REFUSED,
    OutboxStatus.DELETED: SentState.WITHDRAWN,
}
_STATUSES = {state: status for status, state in _STATES.items()}
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class InMemoryCompletionOutbox(CompletionOutbox):
    """The completion outbox in a dict, with the SQL outbox's rules (one entry per account, learner, course
    reference and completion time; one live claim per learner and course). ``send`` records a completion already
    settled, as if sent earlier (for tests)."""

    def __init__(self) -> None:
        self._entries: dict[int, OutboxEntry] = {}
        self._claimed: dict[int, datetime] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def send(
        self,
        account: str,
        completion: LearningCompletion,
        state: SentState = SentState.DELIVERED,
        enrollment_id: str | None = None,
        course_id: str | None = None,
        note: str | None = None,
    ) -> OutboxEntry:
        with self._lock:
            entry = OutboxEntry(
                next(self._ids), account, completion, _STATUSES[state], 1, _EPOCH, _EPOCH, _EPOCH,
                enrollment_id=enrollment_id, course_id=course_id, error=note,
            )  # fmt: skip
            self._entries[entry.id] = entry
            return entry

    def enqueue(self, account: str, completion: LearningCompletion, now: datetime) -> tuple[OutboxEntry, bool]:
        with self._lock:
            for entry in self._entries.values():
                held = entry.completion
                if (
                    entry.account == account
                    and (held.learner_id, held.learning_object_external_reference)
                    == (
                        completion.learner_id,
                        completion.learning_object_external_reference,
                    )
                    and held.completed_at == completion.completed_at
                ):
                    return entry, False
            entry = OutboxEntry(next(self._ids), account, completion, OutboxStatus.PENDING, 0, now, now, now)
            self._entries[entry.id] = entry
            return entry, True

    def claim(self, entry_id: int, now: datetime, lease: timedelta) -> OutboxEntry | None:
        with self._lock:
            entry = self._entries.get(entry_id)
            if entry is None or entry.status is not OutboxStatus.PENDING or self._live(entry_id, now):
                return None
            pair = (entry.account, entry.completion.learner_id, entry.completion.learning_object_external_reference)
            if any(self._live(other.id, now) and self._pair(other) == pair for other in self._entries.values()):
                return None
            self._claimed[entry_id] = now + lease
            claimed = replace(entry, attempts=entry.attempts + 1)
            self._entries[entry_id] = claimed
            return claimed

    def get(self, entry_id: int) -> OutboxEntry | None:
        with self._lock:
            return self._entries.get(entry_id)

    def entries(self, account: str) -> list[OutboxEntry]:
        with self._lock:
            return [e for e in self._entries.values() if e.account == account]

    def mark_delivered(self, entry_id: int, enrollment_id: str, course_id: str, now: datetime) -> None:
        self._settle(
            entry_id, status=OutboxStatus.DELIVERED, enrollment_id=enrollment_id, course_id=course_id, error=None,
            updated_at=now,
        )  # fmt: skip

    def mark_failed(self, entry_id: int, error: str, now: datetime) -> None:
        self._settle(entry_id, status=OutboxStatus.FAILED, error=error, updated_at=now)

    def retry_later(self, entry_id: int, error: str, now: datetime, not_before: datetime) -> None:
        self._settle(entry_id, error=error, updated_at=now, next_attempt_at=not_before)

    def sent(self, account: str) -> Iterator[SentCompletion]:
        with self._lock:
            held = [e for e in self._entries.values() if e.account == account]
        for entry in held:
            state = _STATES[entry.status]
            yield SentCompletion(
                entry.completion,
                state,
                course_id=entry.course_id,
                enrollment_id=entry.enrollment_id,
                note=entry.error if state is SentState.REFUSED else None,
                settled_at=None if state is SentState.PENDING else entry.updated_at,
            )

    def withdraw(self, account: str, enrollment_id: str, now: datetime) -> int:
        with self._lock:
            hits = [
                e for e in self._entries.values()
                if e.account == account and e.enrollment_id == enrollment_id and e.status is OutboxStatus.DELIVERED
            ]  # fmt: skip
            for entry in hits:
                self._entries[entry.id] = replace(entry, status=OutboxStatus.DELETED, updated_at=now)
            return len(hits)

    def _settle(self, entry_id: int, **values: object) -> None:
        with self._lock:
            self._claimed.pop(entry_id, None)
            self._entries[entry_id] = replace(self._entries[entry_id], **values)  # type: ignore[arg-type]

    def _live(self, entry_id: int, now: datetime) -> bool:
        return self._claimed.get(entry_id, now) > now

    def _pair(self, entry: OutboxEntry) -> tuple[str, str, str]:
        return (entry.account, entry.completion.learner_id, entry.completion.learning_object_external_reference)
