"""The delivery ledger in a SQL database (SQLite or PostgreSQL), with SQLAlchemy Core."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, Row, select

from adapters.storage.engine import writing
from adapters.storage.errors import LedgerStorageError, storage_errors
from adapters.storage.group_commit import GroupCommit
from adapters.storage.schema import deliveries, ensure_schema, feed_cursors
from adapters.storage.upsert import check_upsert_dialect, upsert, upsert_statement
from domain.deliveries import Delivery, DeliveryKind, DeliveryOutcome
from domain.ports.delivery_ledger import DeliveryLedger
from domain.transcripts import Settled

_LEDGER = "delivery ledger"
_ITEM_KEY = ("tenant", "kind", "item_id")
_CURSOR_KEY = ("tenant", "source")
_SETTLING = (DeliveryOutcome.DELIVERED.value, DeliveryOutcome.REJECTED.value)
_DELIVERY_COLUMNS = (
    "tenant",
    "kind",
    "item_id",
    "payload_hash",
    "outcome",
    "at",
    "workday_reference",
    "message",
    "run_id",
)


class SqlDeliveryLedger(DeliveryLedger):
    """The delivery ledger in ``engine``'s database; build the engine with ``create_engine_for`` so that a
    SQLite file is durable (WAL, ``synchronous=FULL``). Constructing the ledger creates any missing table.

    Each ``record_delivery`` is committed before it returns: a delivery Workday confirmed is on disk before the
    next item is sent, so a run killed in between re-sends nothing it had delivered. Deliveries recorded at the
    same time by several threads share a transaction (``group_commit``). Any storage failure raises
    ``LedgerStorageError``, a ``LedgerUnavailable``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name
        self._deliveries = GroupCommit[tuple[str, dict[str, object]]](self._record)
        check_upsert_dialect(self._dialect)
        self._upsert_delivery = upsert_statement(self._dialect, deliveries, _DELIVERY_COLUMNS, _ITEM_KEY)
        with storage_errors(engine, "create its tables", _LEDGER):
            ensure_schema(engine)

    def __repr__(self) -> str:
        return f"SqlDeliveryLedger({self._engine.url.render_as_string(hide_password=True)!r})"

    def record_delivery(self, run_id: int, tenant: str, delivery: Delivery) -> None:
        row: dict[str, object] = {  # the keys of _DELIVERY_COLUMNS
            "tenant": tenant,
            "kind": delivery.kind.value,
            "item_id": delivery.item_id,
            "payload_hash": delivery.payload_hash,
            "outcome": delivery.outcome.value,
            "at": delivery.at,
            "workday_reference": delivery.workday_reference,
            "message": delivery.message,
            "run_id": run_id,
        }
        self._deliveries.write((f"record the delivery of {delivery.kind.value} {delivery.item_id}", row))

    def _record(self, rows: Sequence[tuple[str, dict[str, object]]]) -> None:
        """Deliveries in one transaction; a failure names the first (alone, each names its own)."""
        with storage_errors(self._engine, rows[0][0], _LEDGER), writing(self._engine) as connection:
            connection.execute(self._upsert_delivery, [row for _, row in rows])

    def settled(self, tenant: str) -> Settled:
        contents: dict[str, str] = {}
        records: dict[str, str] = {}
        by_kind = {DeliveryKind.CONTENT.value: contents, DeliveryKind.RECORD.value: records}
        query = select(deliveries.c.kind, deliveries.c.item_id, deliveries.c.payload_hash).where(
            deliveries.c.tenant == tenant, deliveries.c.outcome.in_(_SETTLING), deliveries.c.kind.in_(by_kind)
        )
        with storage_errors(self._engine, "read what is settled", _LEDGER), self._engine.begin() as connection:
            for kind, item_id, payload_hash in connection.execute(query):
                by_kind[kind][item_id] = payload_hash
        return Settled(contents=contents, records=records)

    def deliveries(self, tenant: str) -> list[Delivery]:
        query = select(deliveries).where(deliveries.c.tenant == tenant).order_by(deliveries.c.id)
        with storage_errors(self._engine, "list deliveries", _LEDGER), self._engine.begin() as connection:
            rows = connection.execute(query).all()
        return [_delivery(row) for row in rows]

    def cursor(self, tenant: str, source: str) -> str | None:
        query = select(feed_cursors.c.cursor).where(feed_cursors.c.tenant == tenant, feed_cursors.c.source == source)
        with storage_errors(self._engine, f"read the cursor of {source}", _LEDGER), self._engine.begin() as connection:
            saved: str | None = connection.execute(query).scalar_one_or_none()
        return saved

    def save_cursor(self, tenant: str, source: str, cursor: str) -> None:
        row = {"tenant": tenant, "source": source, "cursor": cursor}
        with storage_errors(self._engine, f"save the cursor of {source}", _LEDGER), writing(self._engine) as connection:
            connection.execute(upsert(self._dialect, feed_cursors, row, _CURSOR_KEY))


def _delivery(row: Row[Any]) -> Delivery:
    try:
        return Delivery(
            kind=DeliveryKind(row.kind),
            item_id=row.item_id,
            payload_hash=row.payload_hash,
            outcome=DeliveryOutcome(row.outcome),
            at=row.at,
            workday_reference=row.workday_reference,
            message=row.message,
        )
    except ValueError as unreadable:
        raise LedgerStorageError(
            f"the delivery ledger holds a delivery it cannot read ({row.id}): {unreadable}"
        ) from None
