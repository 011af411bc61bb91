"""Engines for the ledger's database, set up for a ledger that must survive the process being killed."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy import exc as sql_errors
from sqlalchemy.exc import ArgumentError

from adapters.storage.errors import LedgerStorageError

WRITE = {"wlc_sqlite_begin": "BEGIN IMMEDIATE"}
"""Execution options for a transaction that will write: on SQLite it takes the write lock at BEGIN, so two
writers queue on the busy timeout instead of one failing when it upgrades a stale read snapshot."""


BUSY_TIMEOUT_SECONDS = 30.0
"""How long a SQLite writer waits for another to commit before it fails with "database is locked". Writers
hold the lock for milliseconds; a busy machine can stretch that well past sqlite3's 5 s default."""


SERVER_POOL = {"pool_size": 8, "max_overflow": 0, "pool_timeout": 60}
"""A server engine's pool: at most 8 connections, each kept once opened, a caller waiting up to 60 s for one. A
worker holds one engine for the ledger and one for the request budget, beside the engine's own 8 (and its
listener's), so about 25 at most: 3 workers and an API process stay inside PostgreSQL's default of 100
connections. SQLAlchemy's default (5 kept, 15 open) let 3 busy workers take them all. None is opened beyond those
kept: with 2 kept and 6 more allowed, a worker running 70 sessions opened and closed a connection (a PostgreSQL
backend forked and started each time) about 100 times a second, most of a core."""


def create_engine_for(url: str, *, pre_ping: bool = True, idle_in_transaction: float | None = None) -> Engine:
    """An engine for ``url``. For a SQLite file: its parent directories are created, the journal is a
    write-ahead log with ``synchronous=FULL`` (a committed transaction survives a kill or a power cut),
    foreign keys are enforced and SQLAlchemy, not the sqlite3 module, emits BEGIN, so a transaction holds
    every statement of a call. On a server, a pooled connection is checked before each use unless ``pre_ping`` is
    off (a round trip each time; without it, a connection the server dropped fails once, and the pool is renewed),
    and the pool is ``SERVER_POOL``; with ``idle_in_transaction`` (seconds) PostgreSQL ends a connection of the
    engine that sits inside a transaction that long without a statement (``idle_in_transaction_session_timeout``):
    a process cut off from the server in the middle of a transaction would otherwise keep its row locks until the
    network gives up on it, and every other process wanting those rows would wait as long.
    Raises ``LedgerStorageError`` for a URL SQLAlchemy cannot use (without repeating the URL, which may hold a
    password) or a directory that cannot be created."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise LedgerStorageError("the sync ledger URL is not a database URL") from None
    shown = parsed.render_as_string(hide_password=True)
    try:
        if parsed.get_backend_name() != "sqlite":
            engine = create_engine(parsed, pool_pre_ping=pre_ping, **SERVER_POOL)
            if idle_in_transaction is not None and engine.dialect.name == "postgresql":
                idle = f"SET idle_in_transaction_session_timeout = {max(1, round(idle_in_transaction * 1000))}"
                event.listen(engine, "connect", lambda dbapi_connection, _: run_on_connect(dbapi_connection, idle))
            return engine
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
    except ArgumentError as unusable:
        raise LedgerStorageError(f"the sync ledger at {shown} cannot be used: {unusable}") from None
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        try:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as failure:
            raise LedgerStorageError(f"the sync ledger's directory cannot be created: {failure}") from failure
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction (``WRITE``), committed when the block ends without an error and
    rolled back when it raises."""
    with _process_write_lock(engine), engine.connect() as connection:
        connection.execution_options(**WRITE)
        with connection.begin():
            yield connection


@contextmanager
def writing_on_the_driver(engine: Engine) -> Iterator[Any]:
    """As ``writing``, but yields the driver's own cursor (DB-API) in the transaction: for the few statements run
    before every Workday request, where SQLAlchemy's connection, transaction and their events cost several times
    the statements. Statements are in the driver's parameter style (``in_driver_style``); the driver's errors are
    raised as they come (``engine.dialect.loaded_dbapi.Error``), a connection they show lost is not pooled again."""
    with _on_the_driver(engine, autocommit=False) as cursor:
        yield cursor


@contextmanager
def each_statement_committed(engine: Engine) -> Iterator[Any]:
    """As ``writing_on_the_driver``, on PostgreSQL only, but each statement is a transaction of its own, committed
    as it runs (psycopg's autocommit): one round trip for a statement that does all its work itself (a function,
    an upsert), where a transaction takes one more for its ``COMMIT``."""
    if engine.dialect.name != "postgresql":
        raise ValueError(f"each_statement_committed is for PostgreSQL, not {engine.dialect.name}")
    with _on_the_driver(engine, autocommit=True) as cursor:
        yield cursor


@contextmanager
def _on_the_driver(engine: Engine, *, autocommit: bool) -> Iterator[Any]:
    with _process_write_lock(engine):
        connection = engine.raw_connection()
        try:
            if autocommit:
                connection.driver_connection.autocommit = True  # type: ignore[union-attr]
            cursor = connection.cursor()
            try:
                if engine.dialect.name == "sqlite":
                    cursor.execute(WRITE["wlc_sqlite_begin"])
                yield cursor
                if not autocommit:
                    connection.commit()
            except BaseException as failure:
                if isinstance(failure, engine.dialect.loaded_dbapi.Error) and engine.dialect.is_disconnect(
                    failure, connection.dbapi_connection, cursor
                ):
                    connection.invalidate(failure)
                else:
                    with contextlib.suppress(engine.dialect.loaded_dbapi.Error):
                        connection.rollback()
                raise
            finally:
                cursor.close()
                if autocommit and connection.driver_connection is not None:
                    with contextlib.suppress(engine.dialect.loaded_dbapi.Error):
                        connection.driver_connection.autocommit = False
        finally:
            connection.close()


_NAMED_PARAMETER = re.compile(r"(?<![:\w]):(\w+)")


def in_driver_style(engine: Engine, statement: str) -> str:
    """``statement``, its ``:name`` parameters written as ``engine``'s driver takes them (sqlite3 takes ``:name``,
    psycopg ``%(name)s``); a ``::`` cast is left as it is."""
    if engine.dialect.paramstyle in ("named", "qmark"):
        return statement
    return _NAMED_PARAMETER.sub(r"%(\1)s", statement)


_WRITE_LOCKS: dict[str, threading.RLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


@contextmanager
def _process_write_lock(engine: Engine) -> Iterator[None]:
    """On a SQLite file, this process's writers take turns on a lock of the process's own before they ask for
    SQLite's. SQLite's busy handler polls, sleeping longer each time (1, 2, 5, 10, 15, 20 ms and up), so a
    writer that finds the file locked sleeps on well past the moment it is free: under load, commits of a few
    milliseconds took tens. A thread waiting here is woken the moment the holder is done. Writers in other
    processes still meet on SQLite's own lock. One lock per file, whichever engine opened it."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    lock = _write_lock(database)
    if not lock.acquire(timeout=BUSY_TIMEOUT_SECONDS):
        raise sql_errors.TimeoutError(
            f"database is locked: another writer of this process held it {BUSY_TIMEOUT_SECONDS:.0f} s"
        )
    try:
        yield
    finally:
        lock.release()


@functools.lru_cache(maxsize=256)
def _write_lock(database: str) -> threading.RLock:
    """The lock of the file ``database`` names, by its real path; remembered by name, since resolving the path
    (a system call per directory) cost more than the write it guards."""
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(os.path.realpath(database), threading.RLock())


def run_on_connect(dbapi_connection: Any, statement: str) -> None:
    """Runs ``statement`` on a new driver connection (from a ``connect`` event), committed at once where the
    driver opened a transaction for it."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(statement)
    finally:
        cursor.close()
    if getattr(dbapi_connection, "autocommit", True) is False:
        dbapi_connection.commit()


def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    connection.exec_driver_sql(connection.get_execution_options().get("wlc_sqlite_begin", "BEGIN"))


def keep_owner_only(engine: Engine) -> None:
    """Makes a SQLite ledger file (and its WAL files) readable by its owner only: it holds secrets, sealed or
    not, as the configuration file does. Nothing to do on another database, or an in-memory one."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database.startswith(("file:", ":memory:")):
        return
    for path in (database, f"{database}-wal", f"{database}-shm"):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            os.chmod(path, 0o600)
