"""The connector's tables. One ``MetaData`` for every table the storage adapter keeps, so later tables
(transcript deliveries) join the same ``create_schema``."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Dialect,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """An aware timestamp stored in UTC and read back aware. SQLite keeps no offset, so a naive value read
    from it is UTC by construction."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"timestamp {value.isoformat()} carries no time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("tenant", String(200), nullable=False, index=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    Column("outcome", String(32), nullable=False),
    Column("counts", JSON, nullable=False),
    Column("message", Text, nullable=False),
    # Without AUTOINCREMENT SQLite may hand out a deleted row's id again; run ids must only increase.
    sqlite_autoincrement=True,
)

run_actions = Table(
    "run_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("subject", Text, nullable=False),
    Column("why", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("result", String(32), nullable=False),
    Column("error", Text),
    UniqueConstraint("run_id", "seq"),
)


def create_schema(engine: Engine) -> None:
    """Creates every missing table; tables that exist are left as they are, so calling it again is harmless."""
    metadata.create_all(engine)
