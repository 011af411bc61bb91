from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import datetime

from returns.result import Failure, Result, Success

from domain.ports.tenant_store import TenantStore
from domain.tenant_records import (
    TenantChange,
    TenantConflict,
    TenantConflictReason,
    TenantRecord,
    TenantStamp,
    check_tenant_name,
)


class InMemoryTenantStore(TenantStore):
    def __init__(self) -> None:
        self._records: dict[str, TenantRecord] = {}
        self._lock = threading.Lock()

    def stamps(self) -> dict[str, TenantStamp]:
        with self._lock:
            return {name: record.stamp for name, record in self._records.items()}

    def get(self, name: str) -> TenantRecord | None:
        with self._lock:
            return self._records.get(name)

    def records(self, names: Iterable[str] | None = None) -> list[TenantRecord]:
        with self._lock:
            chosen = self._records.keys() if names is None else set(names) & self._records.keys()
            return [self._records[name] for name in sorted(chosen)]

    def add(self, name: str, change: TenantChange, now: datetime) -> Result[TenantRecord, TenantConflict]:
        check_tenant_name(name)
        with self._lock:
            if name in self._records:
                return Failure(TenantConflict(name, TenantConflictReason.EXISTS, self._records[name]))
            record = _record(name, change, 1, now, now)
            self._records[name] = record
            return Success(record)

    def replace(
        self, name: str, expected_version: int, change: TenantChange, now: datetime
    ) -> Result[TenantRecord, TenantConflict]:
        with self._lock:
            current = self._records.get(name)
            if current is None:
                return Failure(TenantConflict(name, TenantConflictReason.MISSING))
            if current.version != expected_version:
                return Failure(TenantConflict(name, TenantConflictReason.MOVED, current))
            record = _record(name, change, current.version + 1, current.created_at, now)
            self._records[name] = record
            return Success(record)

    def remove(self, name: str) -> bool:
        with self._lock:
            return self._records.pop(name, None) is not None

    def reseal(self, transform: Callable[[str, str, str], str]) -> int:
        with self._lock:
            resealed = {
                name: {path: transform(name, path, sealed) for path, sealed in record.secrets.items()}
                for name, record in self._records.items()
            }
            for name, secrets in resealed.items():
                record = self._records[name]
                change = TenantChange(record.settings, secrets, record.origin, record.source_digest)
                self._records[name] = _record(name, change, record.version, record.created_at, record.updated_at)
            return sum(len(secrets) for secrets in resealed.values())


def _record(name: str, change: TenantChange, version: int, created_at: datetime, updated_at: datetime) -> TenantRecord:
    return TenantRecord(
        name=name,
        settings=change.settings,
        secrets=change.secrets,
        origin=change.origin,
        version=version,
        created_at=created_at,
        updated_at=updated_at,
        source_digest=change.source_digest,
    )
