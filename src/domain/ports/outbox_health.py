from __future__ import annotations

from abc import abstractmethod
from collections.abc import Collection
from typing import Protocol, runtime_checkable

from domain.tenant_status import DeliveryStatus


@runtime_checkable
class OutboxHealth(Protocol):
    """How each account's completion outbox stands, read for its status and alerts.

    Contract:
    - ``deliveries(accounts)`` returns a ``DeliveryStatus`` for each of ``accounts`` (an account with no entry
      has the empty one): the pending entries and the oldest one's creation; the latest delivery; the latest
      failed attempt, refused for good or left pending to retry; the entries refused for good, the latest one's
      time and reason. Its cost does not grow with another account's entries, nor with an account's settled
      history.
    - A store that cannot be read raises ``domain.errors.LedgerUnavailable`` (a subclass).
    """

    @abstractmethod
    def deliveries(self, accounts: Collection[str]) -> dict[str, DeliveryStatus]: ...
