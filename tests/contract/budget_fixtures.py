"""The stores the request budget suites run on: this process's memory, a SQLite file, PostgreSQL in a schema of its
own (``storage_fixtures``) and Redis (``WLC_TEST_REDIS_URL``), each skipped with the reason where its server does not
answer."""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from adapters.budget.store import BudgetStore
from adapters.budget.stores import open_budget_store
from tests.contract.storage_fixtures import postgres_url_in_own_schema, postgres_url_or_skip

REDIS_URL = os.environ.get("WLC_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

STORES = ["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres), "redis"]
"""The stores the suites run on, by name (``budget_url``)."""

SHARED_STORES = STORES[1:]
"""The stores several processes can share."""


@functools.cache
def _redis_answers(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def redis_url_or_skip() -> str:
    if not _redis_answers(REDIS_URL):
        pytest.skip(f"Redis does not answer at {REDIS_URL}: request budget tests ran on the other stores")
    return REDIS_URL


@contextmanager
def budget_url(kind: str, tmp_path: Path) -> Iterator[str | None]:
    """The ``budget_url`` of a store of ``kind``, empty, for this test only (``None`` for this process's memory).
    Redis is shared by every test: their tenants are named apart (``a_tenant``)."""
    if kind == "memory":
        yield None
    elif kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'budget.sqlite3'}"
    elif kind == "postgresql":
        with postgres_url_in_own_schema(postgres_url_or_skip()) as url:
            yield url
    else:
        yield redis_url_or_skip()


def open_store(url: str | None) -> BudgetStore:
    return open_budget_store(url, "sqlite://")


def a_tenant() -> str:
    """A tenant name no other test uses."""
    return f"tenant-{uuid.uuid4().hex[:12]}"
