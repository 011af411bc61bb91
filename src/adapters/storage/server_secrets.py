"""Secrets the server makes for itself and every process must share (the console's session key), in the ledger's
table ``server_secrets``. The store keeps what it is given: callers seal a secret before it is written, so the
table holds no secret in plain text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from adapters.storage.engine import writing
from adapters.storage.errors import storage_errors
from adapters.storage.schema import ensure_schema, server_secrets

_STORE = "server secrets"


class SqlServerSecrets:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        with storage_errors(engine, "create its tables", _STORE):
            ensure_schema(engine)

    def kept(self, name: str, make: Callable[[], str], now: datetime) -> str:
        """The value kept under ``name``; when there is none, ``make()``'s, kept first. Processes asking at once
        all get the one value that was written first."""
        row = {"name": name, "sealed": make(), "created_at": now}
        dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
        keep = dialect.insert(server_secrets).values(row).on_conflict_do_nothing(index_elements=["name"])
        read = select(server_secrets.c.sealed).where(server_secrets.c.name == name)
        with storage_errors(self._engine, f"keep {name}", _STORE), writing(self._engine) as connection:
            connection.execute(keep)
            return str(connection.execute(read).scalar_one())
