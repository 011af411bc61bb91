from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

from domain.completion_reconciliation import SentCompletion, SentState
from domain.learning_completions import LearningCompletion
from domain.ports.sent_completions import SentCompletions


class InMemorySentCompletions(SentCompletions):
    """What the provider sent, in a list; ``send`` records one as the completion outbox would."""

    def __init__(self) -> None:
        self._sent: list[tuple[str, SentCompletion]] = []
        self._lock = threading.Lock()

    def send(
        self,
        account: str,
        completion: LearningCompletion,
        state: SentState = SentState.DELIVERED,
        enrollment_id: str | None = None,
        course_id: str | None = None,
        note: str | None = None,
    ) -> None:
        with self._lock:
            self._sent.append((account, SentCompletion(completion, state, course_id, enrollment_id, note)))

    def sent(self, account: str) -> Iterator[SentCompletion]:
        with self._lock:
            held = [item for owner, item in self._sent if owner == account]
        return iter(held)

    def withdraw(self, account: str, enrollment_id: str, now: datetime) -> int:
        with self._lock:
            hits = [
                i
                for i, (owner, item) in enumerate(self._sent)
                if owner == account and item.enrollment_id == enrollment_id and item.state is SentState.DELIVERED
            ]
            for i in hits:
                owner, item = self._sent[i]
                self._sent[i] = (owner, replace(item, state=SentState.WITHDRAWN, settled_at=now))
            return len(hits)
