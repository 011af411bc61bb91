from __future__ import annotations

import threading

from domain.deliveries import Delivery, DeliveryKind, DeliveryOutcome
from domain.ports.delivery_ledger import DeliveryLedger
from domain.transcripts import Settled


class InMemoryDeliveryLedger(DeliveryLedger):
    def __init__(self) -> None:
        self._deliveries: dict[tuple[str, DeliveryKind, str], Delivery] = {}
        self._cursors: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def record_delivery(self, run_id: int, tenant: str, delivery: Delivery) -> None:
        with self._lock:
            self._deliveries[(tenant, delivery.kind, delivery.item_id)] = delivery

    def settled(self, tenant: str) -> Settled:
        with self._lock:
            chosen = [d for (t, _, _), d in self._deliveries.items() if t == tenant]
        settled = [d for d in chosen if d.outcome in (DeliveryOutcome.DELIVERED, DeliveryOutcome.REJECTED)]
        return Settled(
            contents={d.item_id: d.payload_hash for d in settled if d.kind is DeliveryKind.CONTENT},
            records={d.item_id: d.payload_hash for d in settled if d.kind is DeliveryKind.RECORD},
        )

    def deliveries(self, tenant: str) -> list[Delivery]:
        with self._lock:
            return [d for (t, _, _), d in self._deliveries.items() if t == tenant]

    def cursor(self, tenant: str, source: str) -> str | None:
        return self._cursors.get((tenant, source))

    def save_cursor(self, tenant: str, source: str, cursor: str) -> None:
        self._cursors[(tenant, source)] = cursor
