"""The databases the storage contract suites run on: a SQLite file, and PostgreSQL (``WLC_TEST_POSTGRES_URL``)
in a schema of its own per test, skipped when no server answers."""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from adapters.storage import create_engine_for

POSTGRES_URL = os.environ.get("WLC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@functools.cache
def _postgres_answers(url: str) -> bool:
    probe = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError:
        return False
    finally:
        probe.dispose()
    return True


def postgres_url_or_skip() -> str:
    """The PostgreSQL URL, or a skip when no server answers there (asked once per test session)."""
    if not _postgres_answers(POSTGRES_URL):
        shown = make_url(POSTGRES_URL).render_as_string(hide_password=True)
        pytest.skip(f"PostgreSQL does not answer at {shown}: storage contract tests ran on SQLite only")
    return POSTGRES_URL


@contextmanager
def postgres_url_in_own_schema(postgres_url: str) -> Iterator[str]:
    """A URL whose tables go to a schema of its own, dropped afterwards, so parallel and repeated runs never
    meet."""
    schema = f"wlc_ledger_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def postgres_engine_in_own_schema(postgres_url: str) -> Iterator[Engine]:
    """An engine on a schema of its own (``postgres_url_in_own_schema``)."""
    with postgres_url_in_own_schema(postgres_url) as url:
        engine = create_engine_for(url)
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine_for(sqlite_url(tmp_path / "ledger" / "wlc.db"))
    try:
        yield engine
    finally:
        engine.dispose()
