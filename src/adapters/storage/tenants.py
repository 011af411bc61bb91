"""``TenantStore`` on the ledger's database (SQLite or PostgreSQL): one row per tenant in ``tenants``.

A replacement is a compare-and-set on the version (``UPDATE ... WHERE version = expected``), so two writers
(``wlc tenants edit`` beside the admin API, say) never lose one another's change: the second is told the
tenant moved. A SQLite ledger that holds a tenant's sealed secrets is kept readable by its owner only."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from returns.result import Failure, Result, Success
from sqlalchemy import Engine, Row, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from adapters.storage.engine import keep_owner_only, writing
from adapters.storage.errors import storage_errors
from adapters.storage.schema import completion_outbox, deliveries, ensure_schema, runs, tenants
from domain.ports.tenant_store import TenantStore
from domain.tenant_records import (
    TenantChange,
    TenantConflict,
    TenantConflictReason,
    TenantOrigin,
    TenantRecord,
    TenantStamp,
    check_tenant_name,
    thawed,
)

_STORE = "tenant store"


class SqlTenantStore(TenantStore):
    """Tenants in ``engine``'s database. Constructing the store creates any missing table. Every storage
    failure raises ``LedgerStorageError``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        with storage_errors(engine, "create its tables", _STORE):
            ensure_schema(engine)

    def stamps(self) -> dict[str, TenantStamp]:
        query = select(tenants.c.name, tenants.c.version, tenants.c.created_at)
        with storage_errors(self._engine, "list tenants", _STORE), self._engine.begin() as connection:
            return {row.name: TenantStamp(row.version, row.created_at) for row in connection.execute(query)}

    def get(self, name: str) -> TenantRecord | None:
        found = self.records([name])
        return found[0] if found else None

    def records(self, names: Iterable[str] | None = None) -> list[TenantRecord]:
        query = select(tenants).order_by(tenants.c.name)
        if names is not None:
            query = query.where(tenants.c.name.in_(sorted(set(names))))
        with storage_errors(self._engine, "read tenants", _STORE), self._engine.begin() as connection:
            return [_record(row) for row in connection.execute(query)]

    def add(self, name: str, change: TenantChange, now: datetime) -> Result[TenantRecord, TenantConflict]:
        check_tenant_name(name)
        row = {**_columns(change), "name": name, "version": 1, "created_at": now, "updated_at": now}
        try:
            with storage_errors(self._engine, f"add tenant {name}", _STORE), writing(self._engine) as connection:
                try:
                    connection.execute(insert(tenants).values(row))
                except IntegrityError:
                    raise _Taken from None
        except _Taken:
            return Failure(TenantConflict(name, TenantConflictReason.EXISTS, self.get(name)))
        self._protect(change)
        return Success(_record_of(row))

    def replace(
        self, name: str, expected_version: int, change: TenantChange, now: datetime
    ) -> Result[TenantRecord, TenantConflict]:
        statement = (
            update(tenants)
            .where(tenants.c.name == name, tenants.c.version == expected_version)
            .values(**_columns(change), version=expected_version + 1, updated_at=now)
            .returning(*tenants.c)
        )
        with storage_errors(self._engine, f"change tenant {name}", _STORE), writing(self._engine) as connection:
            row = connection.execute(statement).one_or_none()
        if row is None:
            current = self.get(name)
            reason = TenantConflictReason.MISSING if current is None else TenantConflictReason.MOVED
            return Failure(TenantConflict(name, reason, current))
        self._protect(change)
        return Success(_record(row))

    def remove(self, name: str) -> bool:
        statement = delete(tenants).where(tenants.c.name == name)
        with storage_errors(self._engine, f"remove tenant {name}", _STORE), writing(self._engine) as connection:
            return connection.execute(statement).rowcount == 1

    def reseal(self, transform: Callable[[str, str, str], str]) -> int:
        count = 0
        with storage_errors(self._engine, "reseal tenants' secrets", _STORE), writing(self._engine) as connection:
            for row in connection.execute(select(tenants.c.name, tenants.c.secrets)).all():
                resealed = {path: transform(row.name, path, sealed) for path, sealed in dict(row.secrets).items()}
                connection.execute(update(tenants).where(tenants.c.name == row.name).values(secrets=resealed))
                count += len(resealed)
        return count

    def rows_naming(self, name: str) -> dict[str, int]:
        """What else the ledger holds of tenant ``name`` (kept when the tenant is removed): its runs, completion
        outbox entries and deliveries, by table."""
        counted = {
            "runs": select(func.count()).select_from(runs).where(runs.c.tenant == name),
            "outbox entries": select(func.count())
            .select_from(completion_outbox)
            .where(completion_outbox.c.account == name),
            "deliveries": select(func.count()).select_from(deliveries).where(deliveries.c.tenant == name),
        }
        with storage_errors(self._engine, f"count {name}'s rows", _STORE), self._engine.begin() as connection:
            return {what: int(connection.execute(query).scalar_one()) for what, query in counted.items()}

    def _protect(self, change: TenantChange) -> None:
        if change.secrets:
            keep_owner_only(self._engine)


class _Taken(Exception):
    """The name was taken: carried out of the write transaction, which is rolled back."""


def _columns(change: TenantChange) -> dict[str, Any]:
    return {
        "settings": thawed(change.settings),
        "secrets": dict(change.secrets),
        "origin": change.origin.value,
        "source_digest": change.source_digest,
    }


def _record(row: Row[Any]) -> TenantRecord:
    return _record_of(dict(row._mapping))


def _record_of(row: Mapping[str, Any]) -> TenantRecord:
    return TenantRecord(
        name=row["name"],
        settings=row["settings"],
        secrets=row["secrets"],
        origin=TenantOrigin(row["origin"]),
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        source_digest=row["source_digest"],
    )
