from __future__ import annotations

from collections.abc import Collection

from adapters.fakes.completion_outbox import InMemoryCompletionOutbox
from domain.outbox import OutboxEntry, OutboxStatus
from domain.ports.outbox_health import OutboxHealth
from domain.tenant_status import DeliveryStatus


class InMemoryOutboxHealth(OutboxHealth):
    """The health of an in-memory outbox's accounts, read from its entries."""

    def __init__(self, outbox: InMemoryCompletionOutbox) -> None:
        self._outbox = outbox

    def deliveries(self, accounts: Collection[str]) -> dict[str, DeliveryStatus]:
        return {account: _status(self._outbox.entries(account)) for account in accounts}


def _status(entries: list[OutboxEntry]) -> DeliveryStatus:
    pending = [e for e in entries if e.status is OutboxStatus.PENDING]
    delivered = [e for e in entries if e.status is OutboxStatus.DELIVERED]
    refused = sorted((e for e in entries if e.status is OutboxStatus.FAILED), key=lambda e: (e.updated_at, e.id))
    failed = refused + [e for e in pending if e.error is not None]
    return DeliveryStatus(
        depth=len(pending),
        oldest_pending=min((e.created_at for e in pending), default=None),
        last_delivered=max((e.updated_at for e in delivered), default=None),
        last_failed=max((e.updated_at for e in failed), default=None),
        refused=len(refused),
        last_refused=refused[-1].updated_at if refused else None,
        last_refusal=refused[-1].error if refused else None,
    )
