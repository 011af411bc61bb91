"""The SQLite writers of one process take turns on a lock of the process's own, one per database file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy

from adapters.storage import create_engine_for, engine
from adapters.storage.engine import writing
from adapters.storage.errors import LedgerStorageError, storage_errors


def test_a_writer_waits_for_another_engines_writer_on_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_SECONDS", 0)  # do not wait: fail at once when the lock is held
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    first, second = create_engine_for(url), create_engine_for(url)
    other_file = create_engine_for(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with writing(first) as connection:
            connection.execute(sqlalchemy.text("CREATE TABLE held (n INTEGER)"))
            holding.set()
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait()
    try:
        with (
            pytest.raises(LedgerStorageError, match="another writer of this process held it"),
            storage_errors(second, "write"),
            writing(second),
        ):
            pass
        with writing(other_file) as connection:  # another file: its own lock
            connection.execute(sqlalchemy.text("CREATE TABLE free (n INTEGER)"))
    finally:
        release.set()
        holder.join()

    with writing(second) as connection:
        connection.execute(sqlalchemy.text("INSERT INTO held VALUES (1)"))
    with second.connect() as connection:
        assert connection.execute(sqlalchemy.text("SELECT count(*) FROM held")).scalar_one() == 1
