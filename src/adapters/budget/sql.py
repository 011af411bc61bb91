"""Request budgets in a SQL database: a row per tenant, one short transaction per decision. On PostgreSQL, one
statement (the function ``wlc_budget_take_v1``) locks the row with ``SELECT ... FOR UPDATE``, decides on the
server's clock, so processes on several machines agree, and commits; on SQLite the file's write lock (``BEGIN
IMMEDIATE``, through ``adapters.storage.engine.writing``) and the clock of the one machine that can open the file."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import BigInteger, Column, Engine, MetaData, String, Table, event, make_url, text
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from adapters.budget.rule import (
    MICROS,
    NEVER,
    STALE_AHEAD,
    BudgetState,
    Decision,
    Deferred,
    Granted,
    Pace,
    Priority,
    decide,
    sent_late,
)
from adapters.budget.store import BudgetStore, BudgetUnavailable, unheard
from adapters.storage.engine import (
    create_engine_for,
    each_statement_committed,
    in_driver_style,
    run_on_connect,
    writing,
    writing_on_the_driver,
)
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

# Sent on the driver's own cursor (``writing_on_the_driver``), not built and run through SQLAlchemy at each slot:
# a slot's statements are its whole cost, and SQLAlchemy's connection, transaction and events were most of it.
# On SQLite, read, decided by ``rule.decide`` and written in one transaction:
_LOCKED = "SELECT last_slot_us, interactive_until_us FROM request_budgets WHERE tenant = :tenant"
_UPDATE = (
    "UPDATE request_budgets SET last_slot_us = :last_slot, interactive_until_us = :interactive_until"
    " WHERE tenant = :tenant"
)
_INSERT_MISSING = (
    "INSERT INTO request_budgets (tenant, last_slot_us, interactive_until_us) VALUES (:tenant, :never, :never)"
    " ON CONFLICT (tenant) DO NOTHING"
)
_TAKE_ON_POSTGRESQL = (
    "SELECT granted, now_us, at_us FROM wlc_budget_take_v1(:tenant, :gap, :window, :interactive, :never, :stale)"
)
_SENT_LATE_ON_POSTGRESQL = (
    "INSERT INTO request_budgets (tenant, last_slot_us, interactive_until_us) VALUES (:tenant, :slot + :late, :never)"
    " ON CONFLICT (tenant) DO UPDATE SET last_slot_us = GREATEST(request_budgets.last_slot_us, :slot) + :late"
)
"""``rule.sent_late`` in one statement."""

_TAKE_FUNCTION = """
CREATE OR REPLACE FUNCTION wlc_budget_take_v1(
    p_tenant text, p_gap bigint, p_window bigint, p_interactive boolean, p_never bigint, p_stale_ahead bigint,
    OUT granted boolean, OUT now_us bigint, OUT at_us bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_last bigint;
    v_held bigint;
    v_slot bigint;
BEGIN
    SELECT last_slot_us, interactive_until_us INTO v_last, v_held
        FROM request_budgets WHERE tenant = p_tenant FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO request_budgets (tenant, last_slot_us, interactive_until_us)
            VALUES (p_tenant, p_never, p_never) ON CONFLICT (tenant) DO NOTHING;
        SELECT last_slot_us, interactive_until_us INTO v_last, v_held
            FROM request_budgets WHERE tenant = p_tenant FOR UPDATE;
    END IF;
    now_us := floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
    IF greatest(v_last, v_held) - now_us > p_stale_ahead THEN
        v_last := p_never;
        v_held := p_never;
    END IF;
    v_slot := greatest(now_us, v_last + p_gap);
    IF p_interactive THEN
        v_held := greatest(v_held, v_slot + p_window);
    ELSE
        v_slot := greatest(v_slot, v_held);
        IF v_slot - now_us > p_gap THEN
            granted := false;
            at_us := v_slot - p_gap;
            RETURN;
        END IF;
    END IF;
    UPDATE request_budgets SET last_slot_us = v_slot, interactive_until_us = v_held WHERE tenant = p_tenant;
    granted := true;
    at_us := v_slot;
END
$$
"""
"""``rule.decide`` on PostgreSQL, as ``redis_store._TAKE`` is on Redis, kept in step with it by the stores' shared
contract suite: one statement, so a slot is one round trip in a transaction of its own (``each_statement_committed``)
where reading, deciding in Python and writing took three. The tenant's row is locked before the server's clock is
read, so a caller that waited for another's slot decides on the time it got the row. A change to it is a function of
a new name (``_v2``): processes of the old and the new code share one database while they are replaced."""


class SqlBudgetStore(BudgetStore):
    """A ``BudgetStore`` in the table ``request_budgets`` of ``engine``'s database (SQLite or PostgreSQL), created
    at the first slot when missing, so that a store that cannot be reached fails a request, never a start-up.
    ``clock`` (seconds) is used on SQLite only; PostgreSQL's is the server's ``clock_timestamp()``, read once the
    tenant's row is locked."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time) -> None:
        self._dialect = engine.dialect.name
        if self._dialect not in ("sqlite", "postgresql"):
            raise LedgerStorageError(f"request budgets need SQLite or PostgreSQL, not {self._dialect}")
        self._engine = engine
        self._clock = clock
        self._shown = engine.url.render_as_string(hide_password=True)
        self._table_made = False
        self._making_table = threading.Lock()
        self._driver_errors = engine.dialect.loaded_dbapi.Error
        self._statements = {
            statement: in_driver_style(engine, statement)
            for statement in (_LOCKED, _UPDATE, _INSERT_MISSING, _TAKE_ON_POSTGRESQL, _SENT_LATE_ON_POSTGRESQL)
        }

    def take(self, tenant: str, pace: Pace, priority: Priority, *, asking: Callable[[], None] = unheard) -> Decision:
        if self._dialect == "postgresql":
            return self._guarded(lambda: self._take_on_postgresql(tenant, pace, priority, asking))
        return self._guarded(lambda: self._change(tenant, lambda kept, now: decide(kept, now, pace, priority), asking))

    def _take_on_postgresql(self, tenant: str, pace: Pace, priority: Priority, asking: Callable[[], None]) -> Decision:
        arguments = {
            "tenant": tenant,
            "gap": pace.gap,
            "window": pace.window,
            "interactive": priority is Priority.INTERACTIVE,
            "never": NEVER,
            "stale": STALE_AHEAD,
        }
        with each_statement_committed(self._engine) as cursor:
            asking()
            cursor.execute(self._statements[_TAKE_ON_POSTGRESQL], arguments)
            granted, now, at = cursor.fetchone()
        return Granted(int(now), int(at)) if granted else Deferred(int(now), int(at))

    def _make_table_once(self) -> None:
        with self._making_table:
            if not self._table_made:
                self._create_table()
                self._table_made = True

    def sent_late(self, tenant: str, slot: int, late: int) -> None:
        if self._dialect == "postgresql":
            self._guarded(lambda: self._sent_late_on_postgresql(tenant, slot, late))
        else:
            self._guarded(lambda: self._change(tenant, lambda kept, _: (sent_late(kept, slot, late), None)))

    def _sent_late_on_postgresql(self, tenant: str, slot: int, late: int) -> None:
        with each_statement_committed(self._engine) as cursor:
            cursor.execute(
                self._statements[_SENT_LATE_ON_POSTGRESQL],
                {"tenant": tenant, "slot": slot, "late": late, "never": NEVER},
            )

    def _change(
        self,
        tenant: str,
        change: Callable[[BudgetState, int], tuple[BudgetState, _T]],
        asking: Callable[[], None] = unheard,
    ) -> _T:
        """On SQLite, what ``change`` makes of the tenant's state, given the store's clock, kept in one transaction
        that holds the file's write lock; returns the rest of what it says. ``asking`` is called before each reading
        of the clock."""
        with writing_on_the_driver(self._engine) as cursor:
            asking()
            locked = self._locked(cursor, tenant)
            if locked is None:
                cursor.execute(self._statements[_INSERT_MISSING], {"tenant": tenant, "never": NEVER})
                asking()
                locked = self._locked(cursor, tenant)
                assert locked is not None
            kept, now = locked
            state, result = change(kept, now)
            if state != kept:
                changed = {"tenant": tenant, "last_slot": state.last_slot, "interactive_until": state.interactive_until}
                cursor.execute(self._statements[_UPDATE], changed)
            return result

    def _locked(self, cursor: Any, tenant: str) -> tuple[BudgetState, int] | None:
        """On SQLite, the tenant's state and the store's clock, the transaction holding the file's write lock;
        ``None`` for a tenant without a row."""
        cursor.execute(self._statements[_LOCKED], {"tenant": tenant})  # the transaction holds the file's write lock
        row = cursor.fetchone()
        now = math.floor(self._clock() * MICROS)
        return None if row is None else (BudgetState(row[0], row[1]), now)

    def _create_table(self) -> None:
        with writing(self._engine) as connection:
            if self._dialect == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
            metadata.create_all(connection)
            if self._dialect == "postgresql":
                connection.exec_driver_sql(_TAKE_FUNCTION)

    def _guarded(self, work: Callable[[], _T]) -> _T:
        """``work`` done, the table made first if this process has not yet; a database error raised as
        ``BudgetUnavailable``."""
        try:
            if not self._table_made:
                self._make_table_once()
            return work()
        except (SQLAlchemyError, self._driver_errors) as error:
            raise BudgetUnavailable(f"the request budgets at {self._shown} failed: {type(error).__name__}") from error


def budget_engine(url: str, idle_in_transaction: float | None = None) -> Engine:
    """An engine for budgets at ``url``, as the ledger's (``create_engine_for``, with ``idle_in_transaction``: a
    process cut off while it holds a tenant's row must not hold up every other process's requests of that tenant
    for longer), but whose commits do not wait for the disk (SQLite's ``synchronous=NORMAL``, PostgreSQL's
    ``synchronous_commit=off``): a budget lost to a crash only forgets when the last requests started, which
    matters a second at most. Nor is a pooled connection checked before each slot: after a server restart, one
    slot of each process fails (``BudgetUnavailable``, its request retried) and the pool is renewed. Raises
    ``LedgerStorageError`` for a URL that cannot be used."""
    engine = create_engine_for(url, pre_ping=False, idle_in_transaction=idle_in_transaction)
    setting = _NO_WAIT_FOR_DISK.get(engine.dialect.name)
    if setting is not None:
        event.listen(engine, "connect", lambda dbapi_connection, _: run_on_connect(dbapi_connection, setting))
    return engine


_NO_WAIT_FOR_DISK = {"sqlite": "PRAGMA synchronous=NORMAL", "postgresql": "SET synchronous_commit TO off"}


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
