"""The server's own secrets in the ledger (``SqlServerSecrets``), on a SQLite file and on PostgreSQL (skipped when
none answers): the first value kept under a name is the one every later caller and every other process gets."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.storage.server_secrets import SqlServerSecrets
from tests.contract.storage_fixtures import postgres_engine_in_own_schema, postgres_url_or_skip, sqlite_engine

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def secrets(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlServerSecrets]:
    with ExitStack() as stack:
        if request.param == "sqlite":
            engine = stack.enter_context(sqlite_engine(tmp_path))
        else:
            engine = stack.enter_context(postgres_engine_in_own_schema(postgres_url_or_skip()))
        yield SqlServerSecrets(engine)


def test_the_first_value_kept_under_a_name_is_the_one_every_caller_gets(secrets: SqlServerSecrets) -> None:
    first = secrets.kept("console_session", lambda: "sealed-one", NOW)
    second = secrets.kept("console_session", lambda: "sealed-two", NOW)
    other = secrets.kept("another", lambda: "sealed-three", NOW)

    assert (first, second, other) == ("sealed-one", "sealed-one", "sealed-three")


def test_callers_racing_for_a_name_all_get_the_one_value_written(secrets: SqlServerSecrets) -> None:
    start = threading.Barrier(6)
    got: list[str] = []

    def keep(number: int) -> None:
        start.wait(timeout=10)
        got.append(secrets.kept("console_session", lambda: f"sealed-{number}", NOW))

    threads = [threading.Thread(target=keep, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(got) == 6
    assert len(set(got)) == 1
