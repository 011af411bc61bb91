from __future__ import annotations

from abc import abstractmethod
from typing import Protocol, runtime_checkable

from domain.deliveries import Delivery
from domain.transcripts import Settled


@runtime_checkable
class DeliveryLedger(Protocol):
    """What each tenant's Workday holds from us, and how far the provider's feed has been read.

    Contract:
    - ``record_delivery`` is committed durably before it returns; a later delivery of the same kind and item
      ID replaces the earlier one.
    - ``settled(tenant)`` returns, by item ID, the payload hash of every item delivered or rejected as invalid.
    - ``cursor``/``save_cursor`` keep the provider feed's resume point per tenant and source.
    - ``deliveries(tenant)`` lists every delivery, for exports and reconciliation.
    - Storage failures raise ``domain.errors.LedgerUnavailable``.
    """

    @abstractmethod
    def record_delivery(self, run_id: int, tenant: str, delivery: Delivery) -> None: ...

    @abstractmethod
    def settled(self, tenant: str) -> Settled: ...

    @abstractmethod
    def deliveries(self, tenant: str) -> list[Delivery]: ...

    @abstractmethod
    def cursor(self, tenant: str, source: str) -> str | None: ...

    @abstractmethod
    def save_cursor(self, tenant: str, source: str, cursor: str) -> None: ...
