"""The token health record's contract (``domain.ports.token_health.TokenHealthRecord``), against the in-memory fake
and the SQL record on SQLite and PostgreSQL (skipped when no server answers)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.fakes.token_health import InMemoryTokenHealthRecord
from adapters.storage.token_health import SqlTokenHealthRecord
from domain.ports.token_health import TokenHealthRecord
from domain.tenant_status import TokenStatus
from tests.contract.storage_fixtures import postgres_engine_in_own_schema, postgres_url_or_skip, sqlite_engine

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(params=["in-memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def record(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TokenHealthRecord]:
    if request.param == "in-memory":
        yield InMemoryTokenHealthRecord()
    elif request.param == "sqlite":
        with sqlite_engine(tmp_path) as engine:
            yield SqlTokenHealthRecord(engine)
    else:
        with postgres_engine_in_own_schema(postgres_url_or_skip()) as engine:
            yield SqlTokenHealthRecord(engine)


def test_a_tenant_never_recorded_has_no_status(record: TokenHealthRecord) -> None:
    assert record.statuses(["acme"]) == {}
    assert record.statuses([]) == {}


def test_grants_and_refusals_are_kept_per_tenant(record: TokenHealthRecord) -> None:
    record.granted("acme", T0)
    record.refused("acme", T0 + timedelta(hours=1), "refresh token expired or revoked")
    record.granted("globex", T0)

    assert record.statuses(["acme", "globex", "initech"]) == {
        "acme": TokenStatus(T0, T0 + timedelta(hours=1), "refresh token expired or revoked"),
        "globex": TokenStatus(last_success=T0),
    }
    assert record.statuses(["globex"]) == {"globex": TokenStatus(last_success=T0)}


def test_a_later_record_replaces_an_earlier_one_and_a_late_report_changes_nothing(record: TokenHealthRecord) -> None:
    record.refused("acme", T0, "first")
    record.refused("acme", T0 + timedelta(minutes=2), "second")
    record.refused("acme", T0 + timedelta(minutes=1), "reported late")
    record.granted("acme", T0 + timedelta(minutes=3))
    record.granted("acme", T0)

    assert record.statuses(["acme"]) == {
        "acme": TokenStatus(T0 + timedelta(minutes=3), T0 + timedelta(minutes=2), "second")
    }
    assert not record.statuses(["acme"])["acme"].refused
