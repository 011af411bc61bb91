"""The tenants directory: settings go into the store and come back equal, with no secret in the clear; the
configuration file's tenants are imported without undoing an operator's edits."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from returns.result import Failure

from adapters.fakes import FixedClock, InMemoryTenantStore
from app.errors import ConfigurationError
from app.settings import TenantSettings
from app.tenants.directory import TenantDirectory
from app.tenants.secrets import new_key
from app.tenants.settings_data import SettingsRefused, joined, split
from domain.tenant_records import TenantOrigin, thawed
from tests.unit.app.tenants.strategies import NOW, box, directory, secrets_of, tenant_settings
from tests.unit.http.world import tenant_settings as plain_tenant


@given(tenant_settings())
@settings(max_examples=60, deadline=None)
def test_settings_round_trip_through_the_store_and_no_secret_is_stored_in_the_clear(tenant: TenantSettings) -> None:
    store = InMemoryTenantStore()
    tenants = directory(store)

    tenants.add("acme", tenant).unwrap()

    assert tenants.settings_of("acme") == tenant
    record = store.get("acme")
    assert record is not None
    stored = json.dumps({"settings": thawed(record.settings), "secrets": dict(record.secrets)}, ensure_ascii=False)
    for secret in secrets_of(tenant):
        assert secret not in stored


def _as_data(tenant: TenantSettings) -> dict[str, Any]:
    data, secrets = split(tenant)
    return joined(data, secrets)


def _patch_from(old: Any, new: Any) -> Any:
    """The merge patch that turns ``old`` into ``new``: what ``new`` lacks is null, and a schedule it turned off
    is "off" (in a merge patch null restores the default)."""
    if new is None:
        return "off"
    if not isinstance(new, dict):
        return new
    old = old if isinstance(old, dict) else {}
    return {key: None for key in old if key not in new} | {key: _patch_from(old.get(key), new[key]) for key in new}


@given(tenant_settings(), tenant_settings())
@settings(max_examples=30, deadline=None)
def test_a_merge_patch_of_every_setting_gives_the_new_settings(before: TenantSettings, after: TenantSettings) -> None:
    tenants = directory()
    tenants.add("acme", before).unwrap()

    changed = tenants.change("acme", _patch_from(_as_data(before), _as_data(after))).unwrap()

    assert changed.version == 2
    assert tenants.settings_of("acme") == after


def test_a_change_the_settings_refuse_names_the_setting_and_changes_nothing() -> None:
    tenants = directory()
    tenants.add("acme", _tenant()).unwrap()

    refused = tenants.change("acme", {"learning": {"rate_limit": 0}, "timezone": "Mars/Olympus"})

    assert isinstance(refused, Failure)
    problem = refused.failure()
    assert isinstance(problem, SettingsRefused)
    assert problem.field == "timezone"
    assert any(line.startswith("learning.rate_limit:") for line in problem.problems)
    assert tenants.stamps()["acme"].version == 1


def test_the_files_tenants_are_added_then_kept_then_replaced_when_the_file_changes() -> None:
    store = InMemoryTenantStore()
    tenants = directory(store)
    first = _tenant(rate=5)

    assert tenants.import_file({"acme": first}).added == ("acme",)
    tenants.change("acme", {"learning": {"rate_limit": 7}}).unwrap()  # an operator's edit since

    unchanged = tenants.import_file({"acme": first})
    assert unchanged.updated == ()
    assert tenants.settings_of("acme").learning.rate_limit == 7

    changed = tenants.import_file({"acme": _tenant(rate=9)})
    assert changed.updated == ("acme",)
    assert tenants.settings_of("acme").learning.rate_limit == 9
    record = store.get("acme")
    assert record is not None
    assert (record.origin, record.version) == (TenantOrigin.FILE, 3)


def test_a_tenant_the_file_no_longer_has_stays_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    tenants = directory()
    tenants.import_file({"acme": _tenant(), "globex": _tenant("globex")})
    tenants.add("initech", _tenant("initech")).unwrap()

    report = tenants.import_file({"acme": _tenant()})

    assert report.orphaned == ("globex",)  # initech never came from the file
    assert set(tenants.stamps()) == {"acme", "globex", "initech"}
    assert "tenant globex was imported from the configuration file, which no longer has it" in caplog.text


def test_secrets_sealed_with_another_key_are_a_problem_of_their_tenant_alone() -> None:
    store = InMemoryTenantStore()
    directory(store).add("acme", _tenant()).unwrap()
    TenantDirectory(store, box(new_key()), FixedClock(NOW)).add("globex", _tenant("globex")).unwrap()

    loaded = directory(store).load(["acme", "globex"])

    assert loaded["acme"].settings is not None
    assert loaded["globex"].settings is None
    assert "tenant globex's lumiq.api_key cannot be decrypted" in (loaded["globex"].problem or "")
    with pytest.raises(ConfigurationError, match=r"WLC_SECRET_KEYS \(setting secret_keys\)"):
        directory(store).settings_of("globex")


def _tenant(name: str = "acme", rate: int = 5) -> TenantSettings:
    tenant = plain_tenant(name)
    return tenant.model_copy(update={"learning": tenant.learning.model_copy(update={"rate_limit": rate})})
