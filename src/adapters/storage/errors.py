"""The storage adapter's errors. Every failure of the database behind a ledger (the sync ledger or the
delivery ledger) is one of these, and every one is a ``domain.errors.LedgerUnavailable``, so callers need
know nothing of SQLAlchemy.

LedgerUnavailable (domain)
└── LedgerStorageError        the database refused or failed a read or write (cannot connect, read-only,
    │                         locked, schema missing, ...); the message names the operation and the database
    │                         URL without its password; also raised for a database other than SQLite
    │                         or PostgreSQL, where the delivery ledger has no upsert
    └── UnknownRun            an action or a finish names a run the ledger does not hold
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from domain.errors import LedgerUnavailable


class LedgerStorageError(LedgerUnavailable):
    """Raised when the ledger's database cannot serve a read or a write."""


class UnknownRun(LedgerStorageError):
    """Raised by ``record_actions`` and ``finish_run`` for a run id the ledger does not hold."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"run {run_id} is not in the ledger")
        self.run_id = run_id


@contextmanager
def storage_errors(engine: Engine, doing: str, ledger: str = "sync ledger") -> Iterator[None]:
    """Turns any SQLAlchemy error raised inside into a ``LedgerStorageError`` saying what was being done
    (``doing``, e.g. "record actions for run 3"), by which ``ledger`` and on which database, without its
    password."""
    try:
        yield
    except SQLAlchemyError as failure:
        cause = str(getattr(failure, "orig", None) or failure).splitlines()[0]
        password = engine.url.password
        if password:
            cause = cause.replace(str(password), "***")
        where = engine.url.render_as_string(hide_password=True)
        raise LedgerStorageError(f"the {ledger} at {where} could not {doing}: {cause}") from None
