"""Insert a row, or update it where one with the same key is there, in one statement: ``INSERT ... ON
CONFLICT DO UPDATE``, which SQLite and PostgreSQL both have (in SQLAlchemy, through their own dialects)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import Executable

from adapters.storage.errors import LedgerStorageError

UPSERT_DIALECTS = ("sqlite", "postgresql")


def check_upsert_dialect(dialect: str) -> None:
    """Raises ``LedgerStorageError`` for a database ``upsert`` cannot write to."""
    if dialect not in UPSERT_DIALECTS:
        raise LedgerStorageError(f"the delivery ledger needs SQLite or PostgreSQL, not {dialect}")


def upsert_statement(dialect: str, table: Table, columns: Sequence[str], key: Sequence[str]) -> Executable:
    """``upsert`` without its values, for rows of ``columns``: built once and executed with each row's parameters
    (or a list of rows at once), it skips the statement building and compiling that cost more than the write."""
    check_upsert_dialect(dialect)
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    changed = {name: insert.excluded[name] for name in columns if name not in key}
    return insert.on_conflict_do_update(index_elements=list(key), set_=changed)


def upsert(dialect: str, table: Table, row: Mapping[str, object], key: Sequence[str]) -> Executable:
    """The statement that inserts ``row`` into ``table`` or, when a row with the same ``key`` columns (a
    primary key or unique constraint) exists, sets that row's other columns to ``row``'s values."""
    check_upsert_dialect(dialect)
    if dialect == "postgresql":
        on_postgresql = postgresql.insert(table).values(dict(row))
        changed = {name: on_postgresql.excluded[name] for name in row if name not in key}
        return on_postgresql.on_conflict_do_update(index_elements=list(key), set_=changed)
    on_sqlite = sqlite.insert(table).values(dict(row))
    changed = {name: on_sqlite.excluded[name] for name in row if name not in key}
    return on_sqlite.on_conflict_do_update(index_elements=list(key), set_=changed)
