"""``OutboxHealth`` on the ledger's database: every account's outbox status in one statement, each figure a seek
or a walk of the account's pending entries through an index (``ix_completion_outbox_account_due`` for what is
pending, ``ix_completion_outbox_account_settled`` for the latest delivery and refusal), never a scan of the
history delivered."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Engine, func, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from adapters.storage.errors import storage_errors
from adapters.storage.named import names_table
from adapters.storage.schema import UtcDateTime, completion_outbox, ensure_schema
from domain.outbox import OutboxStatus
from domain.ports.outbox_health import OutboxHealth
from domain.tenant_status import DeliveryStatus

_STORE = "completion outbox"


class SqlOutboxHealth(OutboxHealth):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        with storage_errors(engine, "create its tables", _STORE):
            ensure_schema(engine)

    def deliveries(self, accounts: Collection[str]) -> dict[str, DeliveryStatus]:
        if not accounts:
            return {}
        names, name = names_table(self._engine.dialect.name, accounts)
        entry = completion_outbox.alias("entry")

        def of(status: OutboxStatus, *more: ColumnElement[bool]) -> list[ColumnElement[bool]]:
            return [entry.c.account == name, entry.c.status == status.value, *more]

        def count(*where: ColumnElement[bool]) -> ColumnElement[int]:
            return select(func.count()).where(*where).scalar_subquery()

        def moment(column: ColumnElement[datetime], *where: ColumnElement[bool]) -> ColumnElement[datetime]:
            # An aggregate loses the column's type on SQLite: read it back as the column is, aware and in UTC.
            return type_coerce(select(column).where(*where).scalar_subquery(), UtcDateTime())

        pending, delivered, failed = OutboxStatus.PENDING, OutboxStatus.DELIVERED, OutboxStatus.FAILED
        query = select(
            name.label("account"),
            count(*of(pending)).label("depth"),
            moment(func.min(entry.c.created_at), *of(pending)).label("oldest_pending"),
            moment(func.max(entry.c.updated_at), *of(delivered)).label("last_delivered"),
            moment(func.max(entry.c.updated_at), *of(pending, entry.c.error.is_not(None))).label("last_retried"),
            count(*of(failed)).label("refused"),
            moment(func.max(entry.c.updated_at), *of(failed)).label("last_refused"),
            select(entry.c.error)
            .where(*of(failed))
            .order_by(entry.c.updated_at.desc(), entry.c.id.desc())
            .limit(1)
            .scalar_subquery()
            .label("last_refusal"),
        ).select_from(names)
        with storage_errors(self._engine, "read the outbox's health", _STORE), self._engine.begin() as connection:
            rows = connection.execute(query).all()
        return {
            row.account: DeliveryStatus(
                depth=row.depth,
                oldest_pending=row.oldest_pending,
                last_delivered=row.last_delivered,
                last_failed=max((at for at in (row.last_retried, row.last_refused) if at is not None), default=None),
                refused=row.refused,
                last_refused=row.last_refused,
                last_refusal=row.last_refusal,
            )
            for row in rows
        }
