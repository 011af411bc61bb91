from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.storage import create_engine_for
from adapters.storage.api_keys import SqlApiKeyStore

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> SqlApiKeyStore:
    return SqlApiKeyStore(create_engine_for(f"sqlite:///{tmp_path / 'ledger.sqlite3'}"))


def test_a_created_key_verifies_and_names_its_accounts(store: SqlApiKeyStore) -> None:
    record, key = store.create(["acme", "globex", "acme"], NOW)

    verified = store.verify(key, NOW)

    assert verified == record
    assert verified.tenants == ("acme", "globex")
    assert key.startswith(f"wlc_{record.id}_")


def test_keys_are_listed_without_their_secret_and_each_key_is_different(store: SqlApiKeyStore) -> None:
    keys = {store.create(["acme"], NOW)[1] for _ in range(5)}

    listed = store.list_keys()

    assert len(keys) == len(listed) == 5
    assert all(not hasattr(record, "key_hash") for record in listed)


def test_an_expired_or_revoked_key_no_longer_verifies(store: SqlApiKeyStore) -> None:
    expiring, expiring_key = store.create(["acme"], NOW, expires_at=NOW + timedelta(hours=1))
    revoked, revoked_key = store.create(["acme"], NOW)

    assert store.revoke(revoked.id, NOW)
    assert not store.revoke(revoked.id, NOW)
    assert not store.revoke("nope", NOW)
    assert store.verify(revoked_key, NOW) is None
    assert store.verify(expiring_key, NOW + timedelta(minutes=59)) == expiring
    assert store.verify(expiring_key, NOW + timedelta(hours=1)) is None


def test_a_key_needs_a_tenant(store: SqlApiKeyStore) -> None:
    with pytest.raises(ValueError, match="at least one tenant"):
        store.create([], NOW)


def test_a_keys_record_is_found_by_its_id_revoked_or_not(store: SqlApiKeyStore) -> None:
    admin, _ = store.create([], NOW, admin=True)
    store.revoke(admin.id, NOW + timedelta(minutes=1))

    found = store.record(admin.id)

    assert found is not None
    assert found.id == admin.id
    assert found.revoked_at == NOW + timedelta(minutes=1)
    assert store.record("000000000000") is None
