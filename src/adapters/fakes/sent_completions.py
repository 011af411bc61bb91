from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from domain.completion_reconciliation import SentCompletion, SentState
from domain.learning_completions import LearningCompletion
from domain.ports.sent_completions import SentCompletions


@dataclass(frozen=True, slots=True)
class _Sent:
    account: str
    item: SentCompletion
    enrollment_id: str | None


class InMemorySentCompletions(SentCompletions):
    """What the provider sent, in a list; ``send`` records one as the completion outbox would."""

    def __init__(self) -> None:
        self._sent: list[_Sent] = []
        self._lock = threading.Lock()

    def send(
        self,
        account: str,
        completion: LearningCompletion,
        state: SentState = SentState.DELIVERED,
        enrollment_id: str | None = None,
    ) -> None:
        with self._lock:
            self._sent.append(_Sent(account, SentCompletion(completion, state), enrollment_id))

    def sent(self, account: str) -> Iterator[SentCompletion]:
        with self._lock:
            held = [s.item for s in self._sent if s.account == account]
        return iter(held)

    def withdraw(self, account: str, enrollment_id: str, now: datetime) -> int:
        with self._lock:
            hits = [
                i
                for i, s in enumerate(self._sent)
                if s.account == account and s.enrollment_id == enrollment_id and s.item.state is SentState.DELIVERED
            ]
            for i in hits:
                held = self._sent[i]
                self._sent[i] = replace(held, item=SentCompletion(held.item.completion, SentState.WITHDRAWN))
            return len(hits)
