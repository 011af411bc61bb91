"""Who may do what on the ops console: only a provider admin's session opens it (a tenant's key, whether sent in a
header or at the login, does not); every form refuses a missing or wrong CSRF token and changes nothing; a session
ends at its lifetime, at logout and when its key is revoked; every refusal is logged, and no key ever is.

The forms are found from the console's routes, so a form added later is held to the same rules."""

from __future__ import annotations

import base64
import logging
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.http.console.routes import router
from app.settings import ConsoleSettings
from domain.runs import Run
from tests.console_world import ConsoleWorld, csrf_of, signed_in

CONSOLE_LOGGER = "app.http.console"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ConsoleWorld]:
    made = ConsoleWorld(tmp_path / "ledger.sqlite3", ConsoleSettings(session_hours=2))
    yield made
    made.application.tenants().close()


def _routes(method: str) -> list[str]:
    return sorted(
        route.path for route in router.routes if isinstance(route, APIRoute) and method in (route.methods or ())
    )


def _filled(path: str, run: Run) -> str:
    return path.replace("{name}", "acme").replace("{kind}", "membership").replace("{run_id}", str(run.id))


FORMS = [path for path in _routes("POST") if path != "/console/login"]
PAGES = [path for path in _routes("GET") if path not in {"/console/login", "/console/console.css"}]


def _state(world: ConsoleWorld) -> tuple[object, ...]:
    """Everything a console form can change: the schedules, the runs and their outcomes, the members."""
    ledger = world.application.sync_ledger()
    runs = tuple((run.id, run.outcome, run.decided_by) for run in ledger.runs(limit=100))
    schedules = world.application.manage_tenants().schedules("acme").unwrap().settings
    return runs, schedules, world.seated("acme")


def test_the_console_has_the_forms_and_pages_these_tests_cover() -> None:
    assert set(FORMS) >= {
        "/console/logout",
        "/console/plans/{run_id}/approve",
        "/console/plans/{run_id}/reject",
        "/console/tenants/{name}/schedules/{kind}/pause",
        "/console/tenants/{name}/schedules/{kind}/resume",
        "/console/tenants/{name}/schedules/{kind}/run",
    }
    assert set(PAGES) >= {"/console", "/console/tenants/{name}", "/console/runs/{run_id}", "/console/plans/{run_id}"}


def test_every_form_refuses_a_missing_or_wrong_csrf_token_and_changes_nothing(
    world: ConsoleWorld, caplog: pytest.LogCaptureFixture
) -> None:
    run = world.blocked_plan()
    client = signed_in(world)
    token = csrf_of(client.get("/console").text)
    before = _state(world)
    wrong_tokens = {"missing": {}, "empty": {"csrf": ""}, "wrong": {"csrf": token[::-1]}, "cut": {"csrf": token[:-1]}}

    with caplog.at_level(logging.WARNING, logger=CONSOLE_LOGGER):
        for path in FORMS:
            for how, form in wrong_tokens.items():
                answer = client.post(_filled(path, run), data=form)
                assert answer.status_code == 403, f"{path} with a {how} token answered {answer.status_code}"
                assert _state(world) == before, f"{path} with a {how} token changed something"

    refusals = [r for r in caplog.records if "CSRF" in r.getMessage()]
    assert len(refusals) == len(FORMS) * len(wrong_tokens)
    assert all(f"(key {world.admin_id})" in r.getMessage() for r in refusals)


def test_a_form_posted_with_the_token_but_without_the_session_cookie_is_refused(world: ConsoleWorld) -> None:
    run = world.blocked_plan()
    client = signed_in(world)
    token = csrf_of(client.get("/console").text)
    before = _state(world)
    stranger = world.client()  # another site's page posting to the console: no cookie goes with it (SameSite)

    for path in FORMS:
        assert stranger.post(_filled(path, run), data={"csrf": token}).status_code == 403, path

    assert _state(world) == before


@pytest.mark.parametrize("how", ["bearer", "basic"])
def test_a_tenants_key_in_a_header_opens_no_console_page(world: ConsoleWorld, how: str) -> None:
    run = world.blocked_plan()
    key = world.tenant_key
    header = f"Bearer {key}" if how == "bearer" else "Basic " + base64.b64encode(f"{key}:".encode()).decode()
    client = world.client()

    for path in PAGES:
        answer = client.get(_filled(path, run), headers={"Authorization": header})
        assert answer.status_code == 303, path
        assert answer.headers["location"].endswith("/console/login")
    for path in FORMS:
        assert client.post(_filled(path, run), headers={"Authorization": header}).status_code == 403, path


def test_an_admin_key_in_a_header_opens_no_console_page_either(world: ConsoleWorld) -> None:
    answer = world.client().get("/console", headers={"Authorization": f"Bearer {world.admin_key}"})

    assert answer.status_code == 303


def test_a_tenants_key_cannot_sign_in_and_its_refusal_names_the_key_id_not_the_key(
    world: ConsoleWorld, caplog: pytest.LogCaptureFixture
) -> None:
    client = world.client()
    token = csrf_of(client.get("/console/login").text)

    with caplog.at_level(logging.INFO):
        answer = client.post("/console/login", data={"key": world.tenant_key, "csrf": token})

    assert answer.status_code == 403
    assert client.get("/console").status_code == 303
    refusal = [
        r.getMessage() for r in caplog.records if r.name.startswith(CONSOLE_LOGGER) and r.levelno == logging.WARNING
    ]
    assert refusal == [
        f"console refused POST /console/login with 403: key {world.tenant_id} is a tenant's key: "
        "the console needs an admin key"
    ]


def test_no_key_is_ever_logged_or_shown(world: ConsoleWorld, caplog: pytest.LogCaptureFixture) -> None:
    run = world.blocked_plan()
    with caplog.at_level(logging.DEBUG):
        tenant = world.client()
        tenant_token = csrf_of(tenant.get("/console/login").text)
        tenant.post("/console/login", data={"key": world.tenant_key, "csrf": tenant_token})
        tenant.get("/console", headers={"Authorization": f"Bearer {world.tenant_key}"})
        wrong = world.client()
        wrong_token = csrf_of(wrong.get("/console/login").text)
        wrong.post("/console/login", data={"key": world.admin_key[:-2] + "xx", "csrf": wrong_token})
        admin = signed_in(world)
        pages = [admin.get(_filled(path, run)).text for path in PAGES]
        token = csrf_of(pages[0])
        admin.post(f"/console/plans/{run.id}/approve", data={"csrf": token[::-1]})
        admin.post(f"/console/plans/{run.id}/approve", data={"csrf": token})

    secrets = [world.admin_key, world.tenant_key, world.admin_key.split("_", 2)[2], world.tenant_key.split("_", 2)[2]]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "console refused" in logged
    assert f"approved run {run.id}'s plan" in logged
    assert not [secret for secret in secrets if secret in logged]
    assert not [secret for secret in secrets for page in pages if secret in page]
    assert not [secret for secret in secrets if secret in str(admin.cookies.get("wlc_console"))]


def _pause(client: TestClient, token: str) -> int:
    answer = client.post("/console/tenants/acme/schedules/reconcile/pause", data={"csrf": token})
    return int(answer.status_code)


def test_a_session_expires_after_its_lifetime_and_its_forms_with_it(world: ConsoleWorld) -> None:
    client = signed_in(world)
    token = csrf_of(client.get("/console").text)

    world.clock.advance(timedelta(hours=2) - timedelta(seconds=1))
    assert client.get("/console").status_code == 200
    world.clock.advance(timedelta(seconds=1))

    assert client.get("/console").status_code == 303
    assert _pause(client, token) == 403
    assert world.application.manage_tenants().schedules("acme").unwrap().settings.paused == []


def test_an_expired_session_cookie_replayed_is_refused(world: ConsoleWorld) -> None:
    client = signed_in(world)
    token = csrf_of(client.get("/console").text)
    kept = dict(client.cookies)
    client.post("/console/logout", data={"csrf": token})
    world.clock.advance(timedelta(hours=3))
    replay = world.client()
    replay.cookies.update(kept)

    assert replay.get("/console").status_code == 303
    assert _pause(replay, token) == 403


def test_revoking_the_admin_key_ends_its_sessions(world: ConsoleWorld) -> None:
    client = signed_in(world)
    token = csrf_of(client.get("/console").text)

    world.application.api_keys().revoke(world.admin_id, world.clock.now())

    assert client.get("/console").status_code == 303
    assert _pause(client, token) == 403


def test_a_tampered_session_cookie_is_no_session(world: ConsoleWorld) -> None:
    client = signed_in(world)
    cookie = str(client.cookies.get("wlc_console"))
    payload, _, signature = cookie.rpartition(".")
    forged = world.client()
    forged.cookies.set("wlc_console", payload + "." + signature[::-1], path="/console")

    assert forged.get("/console").status_code == 303


def test_the_session_key_the_server_made_is_kept_sealed_in_the_ledger(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite3"
    world = ConsoleWorld(ledger)
    signed_in(world)
    with sqlite3.connect(ledger) as connection:
        (sealed,) = connection.execute("SELECT sealed FROM server_secrets WHERE name = 'console_session'").fetchone()
    plain = world.application.secrets().open(sealed, "the console's session key")
    world.application.tenants().close()

    assert len(plain) >= 40
    assert plain.encode() not in ledger.read_bytes()
