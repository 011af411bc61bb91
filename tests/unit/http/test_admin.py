"""The admin API (``/admin/tenants``): provider-admin keys manage tenants as data; tenant keys cannot reach it,
nor admin keys a tenant's endpoints; secrets go in and never come out; every change is served at once."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from dependency_injector import providers

from app.application import Application
from app.settings import Settings
from tests.unit.http.world import NOW, Tenant, World, tenant_settings

CATEGORIES = "/unified/lms/categories"


def settings_data(name: str, api_key: str = "provider-key-of-" + "x" * 20) -> dict[str, Any]:
    data = tenant_settings(name).model_dump(mode="json", exclude_unset=True)
    data["lumiq"]["api_key"] = api_key
    return data


def test_an_admin_key_lists_every_tenant_without_a_secret(world: World) -> None:
    response = world.client.get("/admin/tenants", headers=world.as_admin())

    assert response.status_code == 200, response.text
    tenants = {tenant["name"]: tenant for tenant in response.json()["tenants"]}
    assert set(tenants) == {"acme", "globex"}
    assert tenants["acme"]["origin"] == "file"
    assert tenants["acme"]["secrets_set"] == ["lumiq.api_key"]
    assert "api_key" not in tenants["acme"]["settings"]["lumiq"]
    assert '"fake"' not in response.text


def test_a_tenant_key_on_admin_is_a_403_logged_without_the_key(world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)

    for key in (world.acme_key, world.both_key):
        response = world.client.get("/admin/tenants", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 403
        assert "admin key" in response.json()["message"]

    assert len([r for r in caplog.records if "refused GET /admin/tenants with 403" in r.getMessage()]) == 2
    for key in (world.acme_key, world.both_key):
        assert key.split("_", 2)[2] not in caplog.text
        assert key.split("_", 2)[1] in caplog.text  # the key's id, its public half, says which key it was


def test_an_admin_key_on_a_tenants_endpoints_is_a_403(world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    response = world.client.get(CATEGORIES, headers={**world.as_admin(), "x-account-id": "acme"})

    assert response.status_code == 403
    assert "/admin" in response.json()["message"]
    assert world.admin_key.split("_", 2)[2] not in caplog.text


def test_no_key_or_a_wrong_one_on_admin_is_a_401(world: World) -> None:
    assert world.client.get("/admin/tenants").status_code == 401
    wrong = {"Authorization": "Bearer wlc_000000000000_" + "A" * 43}
    assert world.client.get("/admin/tenants", headers=wrong).status_code == 401


def test_a_tenant_added_through_the_api_is_served_at_once_and_its_secrets_never_come_back(world: World) -> None:
    world.tenants["initech"] = Tenant("initech")  # its fakes, installed when its container is built
    _, key = world.keys.create(["initech"], NOW)
    headers = {"Authorization": f"Bearer {key}", "x-account-id": "initech"}
    assert world.client.get(CATEGORIES, headers=headers).status_code == 403

    created = world.client.post(
        "/admin/tenants", json={"name": "initech", "settings": settings_data("initech")}, headers=world.as_admin()
    )

    assert created.status_code == 201, created.text
    assert created.json()["version"] == 1
    assert created.json()["origin"] == "admin"
    assert created.json()["secrets_set"] == ["lumiq.api_key"]
    assert "provider-key-of" not in created.text
    assert world.client.get(CATEGORIES, headers=headers).status_code == 200
    shown = world.client.get("/admin/tenants/initech", headers=world.as_admin())
    assert shown.json()["settings"]["host"] == "https://initech.workday.example"
    assert "provider-key-of" not in shown.text


def test_adding_a_name_taken_is_a_409_and_bad_settings_a_422_naming_the_setting(world: World) -> None:
    taken = world.client.post(
        "/admin/tenants", json={"name": "acme", "settings": settings_data("acme")}, headers=world.as_admin()
    )
    bad = settings_data("initech")
    bad["learning"] = {"rate_limt": 7}
    refused = world.client.post("/admin/tenants", json={"name": "initech", "settings": bad}, headers=world.as_admin())

    assert taken.status_code == 409
    assert refused.status_code == 422
    assert refused.json()["field"] == "settings.learning.rate_limt"
    assert "did you mean rate_limit?" in refused.json()["message"]
    assert world.client.get("/admin/tenants/initech", headers=world.as_admin()).status_code == 404


def test_a_patch_changes_what_it_names_grows_the_version_and_the_served_container_follows(world: World) -> None:
    before = world.application.tenants().get("acme")

    patched = world.client.patch(
        "/admin/tenants/acme",
        json={"learning": {"rate_limit": 7}, "lumiq": {"api_key": "a-new-provider-key-of-20"}},
        headers=world.as_admin(),
    )

    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["version"], body["origin"], body["settings"]["learning"]) == (2, "admin", {"rate_limit": 7})
    assert "a-new-provider-key" not in patched.text
    assert world.client.get(CATEGORIES, headers=world.as_acme()).status_code == 200  # rebuilt, fakes and all
    after = world.application.tenants().get("acme")
    assert after is not before
    assert after.tenant().learning.rate_limit == 7
    assert after.tenant().lumiq.api_key.get_secret_value() == "a-new-provider-key-of-20"


def test_a_patch_the_settings_refuse_is_a_422_naming_the_setting_and_changes_nothing(world: World) -> None:
    refused = world.client.patch("/admin/tenants/acme", json={"learning": {"rate_limit": 0}}, headers=world.as_admin())
    missing = world.client.patch("/admin/tenants/nobody", json={"paused": True}, headers=world.as_admin())

    assert refused.status_code == 422
    assert refused.json()["field"] == "settings.learning.rate_limit"
    assert missing.status_code == 404
    assert world.client.get("/admin/tenants/acme", headers=world.as_admin()).json()["version"] == 1


def test_pause_and_resume_set_the_tenants_paused_setting(world: World) -> None:
    paused = world.client.post("/admin/tenants/acme/pause", headers=world.as_admin())
    assert paused.json()["paused"] is True
    assert world.application.tenants().settings("acme").paused is True

    resumed = world.client.post("/admin/tenants/acme/resume", headers=world.as_admin())
    assert resumed.json()["paused"] is False
    assert resumed.json()["version"] == 3


def test_schedules_are_read_with_their_crons_and_patched(world: World) -> None:
    shown = world.client.get("/admin/tenants/acme/schedules", headers=world.as_admin())
    assert shown.json()["crons"] == {"membership": "0 6 * * *", "transcripts": "0 */1 * * *", "reconcile": "0 4 * * 0"}

    patched = world.client.patch(
        "/admin/tenants/acme/schedules",
        json={"membership_daily_at": "07:30", "transcripts_every_minutes": 15, "reconcile_weekly": "off"},
        headers=world.as_admin(),
    )
    refused = world.client.patch(
        "/admin/tenants/acme/schedules", json={"transcripts_every_minutes": 7}, headers=world.as_admin()
    )

    assert patched.status_code == 200, patched.text
    assert patched.json()["crons"] == {"membership": "30 7 * * *", "transcripts": "*/15 * * * *"}
    assert patched.json()["timezone"] == "UTC"
    assert refused.status_code == 422
    assert refused.json()["field"] == "settings.schedules.transcripts_every_minutes"


def test_a_tenant_of_the_configuration_file_is_not_removed_and_another_is_with_its_history_kept(world: World) -> None:
    kept_in_file = world.client.delete("/admin/tenants/acme", headers=world.as_admin())
    assert kept_in_file.status_code == 409
    assert "configuration file" in kept_in_file.json()["message"]

    world.client.post(
        "/admin/tenants", json={"name": "initech", "settings": settings_data("initech")}, headers=world.as_admin()
    )
    _, key = world.keys.create(["initech"], NOW)
    removed = world.client.delete("/admin/tenants/initech", headers=world.as_admin())

    assert removed.status_code == 200, removed.text
    assert removed.json() == {"name": "initech", "kept": {"runs": 0, "outbox entries": 0, "deliveries": 0}}
    served = world.client.get(CATEGORIES, headers={"Authorization": f"Bearer {key}", "x-account-id": "initech"})
    assert served.status_code == 403
    assert world.client.delete("/admin/tenants/initech", headers=world.as_admin()).status_code == 404


def test_a_tenant_another_process_adds_to_the_ledger_is_served_without_a_restart(world: World) -> None:
    world.tenants["initech"] = Tenant("initech")
    _, key = world.keys.create(["initech"], NOW)
    headers = {"Authorization": f"Bearer {key}", "x-account-id": "initech"}
    assert world.client.get(CATEGORIES, headers=headers).status_code == 403

    other = Application(settings=Settings(ledger_url=world.ledger_url))  # another process: no tenant in its file
    other.clock.override(providers.Object(world.clock))
    other.manage_tenants().add("initech", settings_data("initech")).unwrap()

    assert world.client.get(CATEGORIES, headers=headers).status_code == 200
    other.manage_tenants().pause("initech").unwrap()
    assert world.application.tenants().settings("initech").paused is True
