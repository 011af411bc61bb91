"""The tenant store contract (``domain.ports.tenant_store.TenantStore``), run against the in-memory fake, the SQL
store on a SQLite file and the SQL store on PostgreSQL (``WLC_TEST_POSTGRES_URL``, skipped when no server
answers)."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from returns.result import Failure, Success

from adapters.fakes import InMemoryTenantStore
from adapters.storage.tenants import SqlTenantStore
from domain.errors import InvalidValue
from domain.ports.tenant_store import TenantStore
from domain.tenant_records import TenantChange, TenantConflictReason, TenantOrigin, TenantRecord, thawed
from tests.contract.storage_fixtures import postgres_engine_in_own_schema, postgres_url_or_skip, sqlite_engine

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SETTINGS = {"host": "https://acme.workday.example", "tenant": "acme", "learning": {"rate_limit": 5}}
SEALED = {"lumiq.api_key": "sealed-1", "oauth.client_secret": "sealed-2"}


@pytest.fixture(scope="session")
def postgres_url() -> str:
    return postgres_url_or_skip()


@pytest.fixture
def postgres_store(postgres_url: str) -> Iterator[SqlTenantStore]:
    with postgres_engine_in_own_schema(postgres_url) as engine:
        yield SqlTenantStore(engine)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqlTenantStore]:
    with sqlite_engine(tmp_path) as engine:
        yield SqlTenantStore(engine)


@pytest.fixture(params=["in-memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> TenantStore:
    if request.param == "in-memory":
        return InMemoryTenantStore()
    chosen: TenantStore = request.getfixturevalue(f"{request.param.replace('postgresql', 'postgres')}_store")
    return chosen


def change(rate: int = 5, origin: TenantOrigin = TenantOrigin.ADMIN, digest: str | None = None) -> TenantChange:
    settings = {**SETTINGS, "learning": {"rate_limit": rate}}
    return TenantChange(settings, SEALED, origin, digest)


def added(store: TenantStore, name: str = "acme", at: datetime = T0) -> TenantRecord:
    result = store.add(name, change(), at)
    assert isinstance(result, Success), result
    record: TenantRecord = result.unwrap()
    return record


def test_an_added_tenant_reads_back_as_written_at_version_1(store: TenantStore) -> None:
    record = added(store)

    found = store.get("acme")
    assert found == record
    assert (found.version, found.created_at, found.updated_at, found.origin) == (1, T0, T0, TenantOrigin.ADMIN)
    assert thawed(found.settings) == {**SETTINGS, "learning": {"rate_limit": 5}}
    assert dict(found.secrets) == SEALED
    assert store.stamps() == {"acme": found.stamp}


def test_adding_a_name_taken_is_a_conflict_that_changes_nothing(store: TenantStore) -> None:
    first = added(store)

    result = store.add("acme", change(rate=9), T0 + timedelta(hours=1))

    assert isinstance(result, Failure)
    assert result.failure().reason is TenantConflictReason.EXISTS
    assert store.get("acme") == first


def test_a_replacement_grows_the_version_and_keeps_the_creation(store: TenantStore) -> None:
    added(store)
    later = T0 + timedelta(minutes=5)

    replaced = store.replace("acme", 1, change(rate=7, origin=TenantOrigin.FILE, digest="d" * 64), later).unwrap()

    assert (replaced.version, replaced.created_at, replaced.updated_at) == (2, T0, later)
    assert replaced.origin is TenantOrigin.FILE
    assert replaced.source_digest == "d" * 64
    assert store.get("acme") == replaced
    assert store.stamps()["acme"].version == 2


def test_a_replacement_of_a_version_another_writer_replaced_is_refused(store: TenantStore) -> None:
    added(store)
    store.replace("acme", 1, change(rate=7), T0).unwrap()

    result = store.replace("acme", 1, change(rate=8), T0)

    assert isinstance(result, Failure)
    assert result.failure().reason is TenantConflictReason.MOVED
    assert thawed(store.get("acme").settings)["learning"] == {"rate_limit": 7}  # type: ignore[union-attr]


def test_a_replacement_of_a_tenant_not_held_is_refused(store: TenantStore) -> None:
    result = store.replace("ghost", 1, change(), T0)

    assert isinstance(result, Failure)
    assert result.failure().reason is TenantConflictReason.MISSING
    assert store.get("ghost") is None


def test_a_removed_tenant_is_gone_and_added_again_has_a_new_stamp(store: TenantStore) -> None:
    first = added(store)
    assert store.remove("acme") is True
    assert store.remove("acme") is False
    assert store.get("acme") is None
    assert store.stamps() == {}

    again = added(store, at=T0 + timedelta(days=1))

    assert again.version == 1
    assert again.stamp != first.stamp


def test_records_are_in_name_order_and_only_those_named(store: TenantStore) -> None:
    for name in ("globex", "acme", "initech"):
        added(store, name)

    assert [r.name for r in store.records()] == ["acme", "globex", "initech"]
    assert [r.name for r in store.records(["initech", "acme", "nobody"])] == ["acme", "initech"]


def test_resealing_rewrites_every_secret_and_no_version(store: TenantStore) -> None:
    added(store, "acme")
    added(store, "globex")

    count = store.reseal(lambda name, path, sealed: f"re:{name}:{path}:{sealed}")

    assert count == 4
    for record in store.records():
        assert record.version == 1
        assert dict(record.secrets) == {path: f"re:{record.name}:{path}:{sealed}" for path, sealed in SEALED.items()}


def test_a_resealing_that_fails_rewrites_nothing(store: TenantStore) -> None:
    added(store, "acme")
    added(store, "globex")

    def refuse_the_second(name: str, path: str, sealed: str) -> str:
        if name == "globex":
            raise ValueError("no key")
        return f"re:{sealed}"

    with pytest.raises(ValueError, match="no key"):
        store.reseal(refuse_the_second)

    assert all(dict(record.secrets) == SEALED for record in store.records())


def test_a_name_that_is_not_a_tenant_name_is_refused(store: TenantStore) -> None:
    with pytest.raises(InvalidValue, match="tenant name"):
        store.add("acme:membership", change(), T0)


def test_a_sqlite_ledger_holding_secrets_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    with sqlite_engine(tmp_path) as engine:
        store = SqlTenantStore(engine)
        added(store)
        path = Path(str(engine.url.database))

        assert stat.S_IMODE(path.stat().st_mode) == 0o600
