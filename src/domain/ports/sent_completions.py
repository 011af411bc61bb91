from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from datetime import datetime
from typing import Protocol, runtime_checkable

from domain.completion_reconciliation import SentCompletion


@runtime_checkable
class SentCompletions(Protocol):
    """The completions the provider sent through the connector, per account (the completion outbox).

    Contract:
    - ``sent(account)`` yields every completion the account sent, in the order they were first sent, each
      with where it stands (delivered, pending, refused, withdrawn); another account's are never included.
    - ``withdraw(account, enrollment_id, now)`` marks the account's delivered completions recorded on that
      Workday enrollment as withdrawn (the enrollment was rescinded) and returns how many it marked.
    - A store that cannot be read or written raises ``domain.errors.LedgerUnavailable`` (a subclass).
    """

    @abstractmethod
    def sent(self, account: str) -> Iterator[SentCompletion]: ...

    @abstractmethod
    def withdraw(self, account: str, enrollment_id: str, now: datetime) -> int: ...
