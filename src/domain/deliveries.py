"""What was sent to Workday, and what Workday said: the facts exactly-once delivery rests on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidValue
from domain.transcripts import ProviderCompletion


class DeliveryKind(StrEnum):
    CONTENT = "content"
    RECORD = "record"


class DeliveryOutcome(StrEnum):
    DELIVERED = "delivered"
    """Workday confirmed it and returned its reference."""
    REJECTED = "rejected"
    """Workday refused it as invalid (a Validation_Fault): it is not sent again until its payload changes."""


@dataclass(frozen=True, slots=True)
class Delivery:
    kind: DeliveryKind
    item_id: str
    payload_hash: str
    outcome: DeliveryOutcome
    at: datetime
    workday_reference: str | None = None
    message: str | None = None

    def __post_init__(self) -> None:
        if self.at.utcoffset() is None:
            raise InvalidValue("at", "must carry a time zone")


@dataclass(frozen=True, slots=True)
class DeliveryRefused:
    """Why Workday did not take an item. ``retryable`` is false when Workday judged the item itself invalid
    (it names the ``xpath`` at fault) and true when the failure was transient and retries ran out."""

    item_id: str
    message: str
    retryable: bool
    xpath: str | None = None

    def __str__(self) -> str:
        where = f" at {self.xpath}" if self.xpath else ""
        return f"{self.item_id}: {self.message}{where}"


@dataclass(frozen=True, slots=True)
class CompletionPage:
    """A page of the provider's completion changes; ``cursor`` resumes after its last item."""

    completions: tuple[ProviderCompletion, ...]
    cursor: str
    has_more: bool
