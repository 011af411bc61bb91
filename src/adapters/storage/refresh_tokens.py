"""``RefreshTokenKeeper`` on the ledger's database: a tenant's latest refresh token, shared by the processes that
use the ledger (``wlc serve``'s API, ``wlc deliver``, a CLI run), and their refreshes taken one at a time.

A tenant may rotate its refresh token at every grant and refuse the one it replaced. Each process used to keep
the configured token in memory: the first to refresh rotated it away from the others, and a restart began again
from the configured token, already refused. The token is kept in the ledger's database, beside the
configuration that holds the first one, and needs the same protection as that file.

The exclusion is across processes without holding a transaction: on PostgreSQL a session advisory lock, on a
SQLite file an ``flock`` on a file beside it. Ledger writes go on meanwhile; a token request can take seconds."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from pydantic import SecretStr
from sqlalchemy import Engine, select, text

from adapters.storage.engine import writing
from adapters.storage.errors import LedgerStorageError, storage_errors
from adapters.storage.schema import create_schema, oauth_refresh_tokens
from adapters.storage.upsert import upsert

_STORE = "token store"
LOCK_WAIT_SECONDS = 120
"""How long a refresh waits for another process's: a token request takes seconds at most."""
_LOCK_POLL = 0.05
_log = logging.getLogger(__name__)
_IN_MEMORY_LOCKS: dict[int, threading.Lock] = {}


class SqlRefreshTokenKeeper:
    def __init__(
        self,
        engine: Engine,
        tenant: str,
        configured: SecretStr,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        with storage_errors(engine, "create its tables", _STORE):
            create_schema(engine)
        self._engine = engine
        self._tenant = tenant
        self._configured = hashlib.sha256(configured.get_secret_value().encode("utf-8")).hexdigest()
        self._clock = clock

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
        query = select(oauth_refresh_tokens.c.token).where(
            oauth_refresh_tokens.c.tenant == self._tenant,
            oauth_refresh_tokens.c.configured_digest == self._configured,
        )
        reading = f"read {self._tenant}'s refresh token"
        with storage_errors(self._engine, reading, _STORE), self._engine.begin() as connection:
            token = connection.execute(query).scalar_one_or_none()
        return None if token is None else SecretStr(token)

    def keep(self, token: SecretStr) -> None:
        row = {
            "tenant": self._tenant,
            "configured_digest": self._configured,
            "token": token.get_secret_value(),
            "updated_at": self._clock(),
        }
        statement = upsert(self._engine.dialect.name, oauth_refresh_tokens, row, ["tenant"])
        keeping = f"keep {self._tenant}'s rotated refresh token"
        with storage_errors(self._engine, keeping, _STORE), writing(self._engine) as connection:
            connection.execute(statement)
        self._restrict()

    def _restrict(self) -> None:
        """A SQLite ledger that holds a refresh token is made readable by its owner only, as its WAL files are."""
        database = self._engine.url.database
        if self._engine.dialect.name != "sqlite" or not database or database.startswith(("file:", ":memory:")):
            return
        for path in (database, f"{database}-wal", f"{database}-shm"):
            with contextlib.suppress(FileNotFoundError, PermissionError):
                os.chmod(path, 0o600)

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
        try:
            yield
        finally:
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
