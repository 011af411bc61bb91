from __future__ import annotations

from abc import abstractmethod
from typing import Protocol, runtime_checkable

from returns.result import Result

from domain.deliveries import DeliveryRefused
from domain.transcripts import ImportedContent, ImportedRecord


@runtime_checkable
class TranscriptSink(Protocol):
    """Workday Learning's imported content and imported records for one tenant.

    Contract:
    - ``put_content`` and ``put_record`` create or update the item with that ID (an upsert: sending the same
      item twice leaves one) and return Workday's reference for it once Workday has confirmed it.
    - An item Workday refuses as invalid is a ``Failure`` with ``retryable`` false, naming Workday's message and
      the XPath at fault; it has not been retried. A transient failure (throttling, 5xx, timeout) is retried
      within the adapter's limits and, if those run out, is a ``Failure`` with ``retryable`` true.
    - Calls may be made from several threads at once; the adapter keeps within the tenant's rate limit.
    """

    @abstractmethod
    def put_content(self, content: ImportedContent) -> Result[str, DeliveryRefused]: ...

    @abstractmethod
    def put_record(self, record: ImportedRecord) -> Result[str, DeliveryRefused]: ...
