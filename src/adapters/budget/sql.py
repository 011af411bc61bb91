"""Request budgets in a SQL database: a row per tenant, one short transaction per decision. On PostgreSQL the row is
locked with ``SELECT ... FOR UPDATE`` and the clock is the server's, so processes on several machines agree; on
SQLite the file's write lock (``BEGIN IMMEDIATE``, through ``adapters.storage.engine.writing``) and the clock of
the one machine that can open the file."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import BigInteger, Column, Connection, Engine, MetaData, String, Table, event, make_url, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from adapters.budget.rule import MICROS, NEVER, BudgetState, Decision, Pace, Priority, decide
from adapters.budget.store import BudgetStore, BudgetUnavailable
from adapters.storage.engine import create_engine_for, writing
from adapters.storage.errors import LedgerStorageError

metadata = MetaData()

request_budgets = Table(
    "request_budgets",
    metadata,
    Column("tenant", String(200), primary_key=True),
    Column("last_slot_us", BigInteger, nullable=False),
    Column("interactive_until_us", BigInteger, nullable=False),
)

_T = TypeVar("_T")

_SCHEMA_LOCK = 0x776C635F627564
"""The PostgreSQL advisory lock that processes creating the table take turns on."""

_NOW_ON_POSTGRESQL = text("SELECT floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint")


class SqlBudgetStore(BudgetStore):
    """A ``BudgetStore`` in the table ``request_budgets`` of ``engine``'s database (SQLite or PostgreSQL), created
    when missing. ``clock`` (seconds) is used on SQLite only; PostgreSQL's is the server's ``clock_timestamp()``,
    read once the tenant's row is locked."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time) -> None:
        self._dialect = engine.dialect.name
        if self._dialect not in ("sqlite", "postgresql"):
            raise LedgerStorageError(f"request budgets need SQLite or PostgreSQL, not {self._dialect}")
        self._engine = engine
        self._clock = clock
        self._shown = engine.url.render_as_string(hide_password=True)
        self._guarded(self._create_table)

    def take(self, tenant: str, pace: Pace, priority: Priority) -> Decision:
        return self._guarded(lambda: self._take(tenant, pace, priority))

    def _take(self, tenant: str, pace: Pace, priority: Priority) -> Decision:
        with writing(self._engine) as connection:
            kept = self._locked_state(connection, tenant)
            if kept is None:
                connection.execute(self._insert_missing(tenant))
                kept = self._locked_state(connection, tenant)
                assert kept is not None
            state, decision = decide(kept, self._now(connection), pace, priority)
            if state != kept:
                connection.execute(
                    request_budgets.update()
                    .where(request_budgets.c.tenant == tenant)
                    .values(last_slot_us=state.last_slot, interactive_until_us=state.interactive_until)
                )
            return decision

    def _locked_state(self, connection: Connection, tenant: str) -> BudgetState | None:
        row = connection.execute(
            select(request_budgets.c.last_slot_us, request_budgets.c.interactive_until_us)
            .where(request_budgets.c.tenant == tenant)
            .with_for_update()
        ).first()
        return None if row is None else BudgetState(row.last_slot_us, row.interactive_until_us)

    def _insert_missing(self, tenant: str) -> postgresql.Insert | sqlite.Insert:
        row = {"tenant": tenant, "last_slot_us": NEVER, "interactive_until_us": NEVER}
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        return insert(request_budgets).values(row).on_conflict_do_nothing(index_elements=["tenant"])

    def _now(self, connection: Connection) -> int:
        if self._dialect == "postgresql":
            return int(connection.execute(_NOW_ON_POSTGRESQL).scalar_one())
        return math.floor(self._clock() * MICROS)

    def _create_table(self) -> None:
        with writing(self._engine) as connection:
            if self._dialect == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
            metadata.create_all(connection)

    def _guarded(self, work: Callable[[], _T]) -> _T:
        try:
            return work()
        except SQLAlchemyError as error:
            raise BudgetUnavailable(f"the request budgets at {self._shown} failed: {type(error).__name__}") from error


def budget_engine(url: str) -> Engine:
    """An engine for budgets at ``url``, as the ledger's (``create_engine_for``), but on a SQLite file without an
    fsync at each commit: a budget lost to a power cut only forgets when the last requests started. Raises
    ``LedgerStorageError`` for a URL that cannot be used."""
    engine = create_engine_for(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _no_fsync_per_commit)
    return engine


def _no_fsync_per_commit(dbapi_connection: object, connection_record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    try:
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def budget_url_beside(ledger_url: str) -> str | None:
    """Where budgets go by default for the ledger at ``ledger_url``: the ledger's own database on PostgreSQL; a
    file beside a SQLite ledger's (``wlc-ledger-budget.sqlite3`` beside ``wlc-ledger.sqlite3``), so that a slot
    never waits on the ledger's writers nor they on it; ``None`` for a ledger in memory, which no other process can
    share either."""
    try:
        parsed = make_url(ledger_url)
    except ArgumentError:
        raise LedgerStorageError("the sync ledger URL is not a database URL") from None
    if parsed.get_backend_name() != "sqlite":
        return ledger_url
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = Path(database)
    return parsed.set(database=str(path.with_name(f"{path.stem}-budget{path.suffix}"))).render_as_string(
        hide_password=False
    )
