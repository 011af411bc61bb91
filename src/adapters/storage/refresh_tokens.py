"""``RefreshTokenKeeper`` on the ledger's database: a tenant's latest refresh token, shared by the processes that
use the ledger (``wlc serve``'s API, ``wlc worker``, a CLI run), and their refreshes taken one at a time.

A tenant may rotate its refresh token at every grant and refuse the one it replaced. Each process used to keep
the configured token in memory: the first to refresh rotated it away from the others, and a restart began again
from the configured token, already refused. The token is kept in the ledger's database, beside the
configuration that holds the first one, sealed (encrypted) by the ``Sealer`` the application gives: the ledger
holds no token in the clear. A token an earlier version kept in the clear is read as it is, and sealed by
``seal_plain_tokens`` (at the next start with a key) or at the next refresh.

The exclusion is across processes without holding a transaction: on PostgreSQL a session advisory lock, on a
SQLite file an ``flock`` on a file beside it. Ledger writes go on meanwhile; a token request can take seconds.
On PostgreSQL the keeper reads and keeps the token, while it holds the lock, on the connection that holds it: a
refresh takes one connection of the pool, never a second while holding the first (with as many refreshes at once
as the pool has connections, each would wait for one the others hold)."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Protocol

from pydantic import SecretStr
from sqlalchemy import Connection, Engine, or_, select, text, update

from adapters.storage.engine import keep_owner_only, writing
from adapters.storage.errors import LedgerStorageError, storage_errors
from adapters.storage.schema import ensure_schema, oauth_refresh_tokens
from adapters.storage.upsert import upsert

_STORE = "token store"
LOCK_WAIT_SECONDS = 120
"""How long a refresh waits for another process's: a token request takes seconds at most."""
_LOCK_POLL = 0.05
_log = logging.getLogger(__name__)
_IN_MEMORY_LOCKS: dict[int, threading.Lock] = {}


class Sealer(Protocol):
    """Encrypts secrets for the ledger and decrypts them (``app.tenants.secrets.SecretBox``). ``open`` raises,
    naming ``what`` and the keys' setting, when no key it has opens ``sealed``."""

    def seal(self, plain: str) -> str: ...

    def open(self, sealed: str, what: str) -> str: ...


class SqlRefreshTokenKeeper:
    def __init__(
        self,
        engine: Engine,
        tenant: str,
        configured: SecretStr,
        sealer: Sealer,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        with storage_errors(engine, "create its tables", _STORE):
            ensure_schema(engine)
        self._engine = engine
        self._tenant = tenant
        self._sealer = sealer
        self._configured = hashlib.sha256(configured.get_secret_value().encode("utf-8")).hexdigest()
        self._clock = clock
        self._holding = threading.local()
        """The connection that holds this thread's advisory lock, while it does."""

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        if self._engine.dialect.name == "postgresql":
            with self._advisory_lock():
                yield
            return
        database = self._engine.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            with _IN_MEMORY_LOCKS.setdefault(id(self._engine), threading.Lock()):
                yield
            return
        try:
            descriptor = os.open(f"{database}.oauth-lock", os.O_RDONLY | os.O_CREAT, 0o600)
        except OSError as refused:
            raise LedgerStorageError(
                f"the {_STORE}'s lock file beside {database} cannot be opened: {refused}"
            ) from None
        try:
            self._flock(descriptor, database)
            yield
        finally:
            os.close(descriptor)  # which releases the lock

    def _flock(self, descriptor: int, database: str) -> None:
        """Takes the lock, asking again every ``_LOCK_POLL`` seconds for at most ``LOCK_WAIT_SECONDS``: a holder
        stuck past that fails this refresh rather than every Workday call of the process behind it."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LedgerStorageError(
                        f"the {_STORE} beside {database} could not lock {self._tenant}'s refresh token: another "
                        f"process has held it for {LOCK_WAIT_SECONDS} s"
                    ) from None
                time.sleep(_LOCK_POLL)

    def latest(self) -> SecretStr | None:
        query = select(oauth_refresh_tokens.c.token, oauth_refresh_tokens.c.sealed).where(
            oauth_refresh_tokens.c.tenant == self._tenant,
            oauth_refresh_tokens.c.configured_digest == self._configured,
        )
        reading = f"read {self._tenant}'s refresh token"
        with storage_errors(self._engine, reading, _STORE), self._connection(write=False) as connection:
            row = connection.execute(query).one_or_none()
        if row is None:
            return None
        if not row.sealed:
            return SecretStr(row.token)
        return SecretStr(self._sealer.open(row.token, f"tenant {self._tenant}'s rotated refresh token"))

    def keep(self, token: SecretStr) -> None:
        row = {
            "tenant": self._tenant,
            "configured_digest": self._configured,
            "token": self._sealer.seal(token.get_secret_value()),
            "sealed": True,
            "updated_at": self._clock(),
        }
        statement = upsert(self._engine.dialect.name, oauth_refresh_tokens, row, ["tenant"])
        keeping = f"keep {self._tenant}'s rotated refresh token"
        with storage_errors(self._engine, keeping, _STORE), self._connection(write=True) as connection:
            connection.execute(statement)
        keep_owner_only(self._engine)

    @contextmanager
    def _connection(self, *, write: bool) -> Iterator[Connection]:
        """A connection in a transaction: the one holding this thread's advisory lock, if it holds it."""
        held: Connection | None = getattr(self._holding, "connection", None)
        if held is not None:
            with held.begin():
                yield held
        elif write:
            with writing(self._engine) as connection:
                yield connection
        else:
            with self._engine.begin() as connection:
                yield connection

    @contextmanager
    def _advisory_lock(self) -> Iterator[None]:
        # A session lock on a connection of its own: held across the token request, not inside a transaction.
        # A connection whose lock or unlock failed is discarded rather than pooled: ending its session is what
        # surely releases the lock.
        key = int.from_bytes(hashlib.sha256(f"wlc-oauth:{self._tenant}".encode()).digest()[:8], "big", signed=True)
        connection = None
        try:
            with storage_errors(self._engine, f"lock {self._tenant}'s refresh token", _STORE):
                connection = self._engine.connect()
                connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s'"))
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
                connection.commit()
        except BaseException:
            if connection is not None:
                connection.invalidate()
                connection.close()
            raise
        self._holding.connection = connection
        try:
            yield
        finally:
            self._holding.connection = None
            try:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
            except Exception as failed:
                _log.warning(
                    "could not unlock %s's refresh token (%s): its connection is discarded", self._tenant, failed
                )
                connection.invalidate()
            finally:
                connection.close()


def seal_plain_tokens(engine: Engine, sealer: Sealer) -> int:
    """Seals every refresh token an earlier version kept in the clear; returns how many it sealed."""
    plain = select(oauth_refresh_tokens.c.tenant, oauth_refresh_tokens.c.token).where(
        or_(oauth_refresh_tokens.c.sealed.is_(None), oauth_refresh_tokens.c.sealed.is_(False))
    )
    with storage_errors(engine, "seal the refresh tokens kept in the clear", _STORE), writing(engine) as connection:
        rows = connection.execute(plain).all()
        for row in rows:
            connection.execute(
                update(oauth_refresh_tokens)
                .where(oauth_refresh_tokens.c.tenant == row.tenant)
                .values(token=sealer.seal(row.token), sealed=True)
            )
    if rows:
        keep_owner_only(engine)
    return len(rows)


def reseal_tokens(engine: Engine, transform: Callable[[str, str], str]) -> int:
    """Rewrites every sealed refresh token as ``transform(sealed, what)`` makes it (key rotation), in one
    transaction: if it raises, nothing is rewritten. Returns how many it rewrote."""
    query = select(oauth_refresh_tokens.c.tenant, oauth_refresh_tokens.c.token).where(
        oauth_refresh_tokens.c.sealed.is_(True)
    )
    with storage_errors(engine, "reseal the refresh tokens", _STORE), writing(engine) as connection:
        rows = connection.execute(query).all()
        for row in rows:
            resealed = transform(row.token, f"tenant {row.tenant}'s rotated refresh token")
            connection.execute(
                update(oauth_refresh_tokens).where(oauth_refresh_tokens.c.tenant == row.tenant).values(token=resealed)
            )
    return len(rows)


def holds_sealed_tokens(engine: Engine) -> bool:
    """Whether the ledger keeps a sealed refresh token (so the key that sealed it is needed)."""
    query = select(oauth_refresh_tokens.c.tenant).where(oauth_refresh_tokens.c.sealed.is_(True)).limit(1)
    with storage_errors(engine, "look for sealed refresh tokens", _STORE), engine.begin() as connection:
        return connection.execute(query).first() is not None
