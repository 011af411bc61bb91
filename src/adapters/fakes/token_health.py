from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from domain.ports.token_health import TokenHealthRecord
from domain.tenant_status import TokenStatus


class InMemoryTokenHealthRecord(TokenHealthRecord):
    def __init__(self) -> None:
        self._held: dict[str, TokenStatus] = {}
        self._lock = threading.Lock()

    def granted(self, tenant: str, at: datetime) -> None:
        with self._lock:
            held = self._held.get(tenant, TokenStatus())
            if held.last_success is None or held.last_success < at:
                self._held[tenant] = replace(held, last_success=at)

    def refused(self, tenant: str, at: datetime, reason: str) -> None:
        with self._lock:
            held = self._held.get(tenant, TokenStatus())
            if held.last_refusal is None or held.last_refusal < at:
                self._held[tenant] = replace(held, last_refusal=at, refusal=reason)

    def statuses(self, tenants: Collection[str]) -> dict[str, TokenStatus]:
        with self._lock:
            return {tenant: status for tenant, status in self._held.items() if tenant in tenants}
