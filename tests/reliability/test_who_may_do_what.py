"""Who may do what on the HTTP API, on SQLite and PostgreSQL (runs and completions of every tenant share the
ledger's tables): a tenant's key reaches no ``/admin`` route (every one, read from the app's route table, so a
route added later is covered), an admin key no tenant's route, and a tenant's key no other tenant's account,
run or completion, whose existence is not told (the same answer as for one that does not exist); every refusal
is logged on one line with the route and the key's id or fingerprint, never the key."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from httpx import Response
from starlette.requests import Request

from app.http import auth, errors
from app.http.errors import ApiError
from domain.runs import RunKind
from tests.contract.storage_fixtures import postgres_url_in_own_schema, postgres_url_or_skip
from tests.unit.http.world import COMPLETION, NOW, World

LEARNER = "21001"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """Two tenants (acme, globex) whose Workday and provider are fakes, on one ledger: their runs are the
    ledger's, in one table, as in production."""
    if request.param == "sqlite":
        made = World(tmp_path / "ledger.sqlite3")
        shared_runs(made)
        yield made
        return
    monkeypatch.setenv("WLC_SECRET_KEYS", Fernet.generate_key().decode())  # PostgreSQL has no default key
    with postgres_url_in_own_schema(postgres_url_or_skip()) as url:
        made = World(url)
        shared_runs(made)
        yield made
        made.application.ledger_engine().dispose()


def shared_runs(world: World) -> None:
    """The world's tenants keep their runs in the ledger, not in fakes of their own."""
    for tenant in world.tenants.values():
        tenant.container.sync_ledger.reset_last_overriding()


def depends_on(dependant: Dependant, check: Callable[..., Any]) -> bool:
    return any(sub.call is check or depends_on(sub, check) for sub in dependant.dependencies)


def route_table(world: World) -> list[tuple[str, str, Dependant]]:
    """The app's route table: each route's method, path and dependencies, routers included."""
    return [
        (method, context.path, route.dependant)
        for context in iter_route_contexts(world.app.routes)
        if isinstance(route := context.original_route, APIRoute) and context.path
        for method in sorted(context.methods or ())
    ]


def routes(world: World, check: Callable[..., Any]) -> list[tuple[str, str]]:
    """Every (method, path) of the route table that depends on ``check``, path parameters filled."""
    found = []
    for method, template, dependant in route_table(world):
        if depends_on(dependant, check):
            path = re.sub(r"\{run_id\}|\{completion_id\}|\{id\}", "1", template)
            found.append((method, re.sub(r"\{[a-z_]+\}", "acme", path)))
    return found


def bearer(key: str, account: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {key}"}
    return {**headers, "x-account-id": account} if account else headers


class Refusals:
    """The log lines of refusals, as the API writes them."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog
        caplog.set_level(logging.WARNING, logger="app.http")

    def of(self, method: str, path: str) -> list[str]:
        lines = [record.getMessage() for record in self.caplog.records if record.getMessage().startswith("refused ")]
        return [line for line in lines if line.startswith(f"refused {method} {path} with ")]

    def assert_one(self, response: Response, method: str, path: str, key: str | None) -> None:
        """Exactly one line names the request, with its status and the key's id, and none shows the key."""
        lines = self.of(method, path)
        assert len(lines) == 1, (method, path, lines)
        assert f" with {response.status_code}: " in lines[0]
        assert "\n" not in lines[0]
        if key is not None:
            key_id, secret = key.split("_", 2)[1:]
            assert f"(key {key_id})" in lines[0]
            assert secret not in self.caplog.text
        self.caplog.clear()


def send(world: World, method: str, path: str, headers: dict[str, str]) -> Response:
    body: dict[str, Any] | None = {} if method in {"POST", "PUT", "PATCH"} else None
    response: Response = world.client.request(method, path, headers=headers, json=body)
    return response


def test_a_tenants_key_reaches_no_admin_route(world: World, caplog: pytest.LogCaptureFixture) -> None:
    refusals = Refusals(caplog)
    admin_routes = routes(world, auth.admin)
    before = world.client.get("/admin/tenants", headers=bearer(world.admin_key)).json()

    assert {path for _, path in admin_routes} >= {"/admin/tenants", "/admin/tenants/acme"}
    unguarded = [
        (method, path)
        for method, path, dependant in route_table(world)
        if path.startswith("/admin") and not depends_on(dependant, auth.admin)
    ]
    assert unguarded == [], "every route under /admin needs an admin key"
    for method, path in admin_routes:
        for key, account in ((world.acme_key, None), (world.both_key, "acme"), (world.globex_key, "globex")):
            response = send(world, method, path, bearer(key, account))
            assert response.status_code == 403, (method, path, response.text)
            assert "admin key" in response.json()["message"]
            refusals.assert_one(response, method, path, key)
        response = send(world, method, path, {})
        assert response.status_code == 401, (method, path, response.text)
        refusals.assert_one(response, method, path, None)

    assert world.client.get("/admin/tenants", headers=bearer(world.admin_key)).json() == before, "nothing changed"


def test_a_tenants_key_reaches_no_other_tenants_account_and_an_admin_key_none(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    refusals = Refusals(caplog)
    tenant_routes = routes(world, auth.caller)

    assert {"/runs/1", "/unified/lms/users/1/completions"} <= {path for _, path in tenant_routes}
    for method, path in tenant_routes:
        response = send(world, method, path, bearer(world.acme_key, "globex"))
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["message"] == "this API key may not act on account 'globex'"
        refusals.assert_one(response, method, path, world.acme_key)
        response = send(world, method, path, bearer(world.admin_key, "acme"))
        assert response.status_code == 403, (method, path, response.text)
        refusals.assert_one(response, method, path, world.admin_key)


def test_another_tenants_run_is_not_found_as_one_that_does_not_exist(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    refusals = Refusals(caplog)
    runs = world.application.sync_ledger()
    theirs = runs.start_run(RunKind.TRANSCRIPTS, "globex", NOW).id
    ours = runs.start_run(RunKind.TRANSCRIPTS, "acme", NOW).id
    missing = max(theirs, ours) + 1000

    assert world.client.get(f"/runs/{theirs}", headers=world.headers_for("globex")).status_code == 200
    assert world.client.get(f"/runs/{ours}", headers=world.as_acme()).status_code == 200
    for key in (world.acme_key, world.both_key):
        answers = {}
        for run_id in (theirs, missing):
            response = world.client.get(f"/runs/{run_id}", headers=bearer(key, "acme"))
            refusals.assert_one(response, "GET", f"/runs/{run_id}", key)
            answers[run_id] = (response.status_code, response.json()["message"].removesuffix(str(run_id)))
        assert answers[theirs] == answers[missing] == (404, "there is no run ")


def test_another_tenants_completion_is_not_found_as_one_that_does_not_exist(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    refusals = Refusals(caplog)
    posted = world.client.post(
        f"/unified/lms/users/{LEARNER}/completions", json=COMPLETION, headers=world.headers_for("globex")
    )
    assert posted.status_code == 202, posted.text
    theirs = int(posted.json()["id"])
    missing = theirs + 1000
    path = f"/unified/lms/users/{LEARNER}/completions/{{}}"

    assert world.client.get(path.format(theirs), headers=world.headers_for("globex")).status_code == 200
    for method in ("GET", "DELETE"):
        answers = {}
        for completion_id in (theirs, missing):
            response = world.client.request(method, path.format(completion_id), headers=world.as_acme())
            message = response.json()["message"].removesuffix(str(completion_id))
            answers[completion_id] = (response.status_code, message)
        assert answers[theirs] == answers[missing], method
        assert answers[theirs][0] == 404, answers
        refusals.assert_one(Response(404), method, path.format(theirs), world.acme_key)
    entry = world.outbox.get(theirs)
    assert entry is not None
    assert (entry.account, entry.status.value) == ("globex", "pending"), "untouched"


def test_every_refusal_is_one_line_naming_the_key_by_id_or_fingerprint_never_the_key(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    refusals = Refusals(caplog)
    key_id, secret = world.acme_key.split("_", 2)[1:]
    revoked_record, revoked = world.keys.create(["acme"], NOW)
    world.keys.revoke(revoked_record.id, NOW)
    _, expired = world.keys.create(["acme"], NOW - timedelta(days=2), expires_at=NOW - timedelta(days=1))
    made_up = "not-a-key-at-all-but-a-password"
    attempts = {
        "a wrong secret": (f"wlc_{key_id}_{secret[::-1]}", key_id),
        "a revoked key": (revoked, revoked_record.id),
        "an expired key": (expired, expired.split("_", 2)[1]),
        "a made-up key": (made_up, None),
    }
    for what, (key, shown) in attempts.items():
        path = "/unified/lms/categories"
        response = world.client.get(path, headers=bearer(key, "acme"))
        assert response.status_code == 401, what
        lines = refusals.of("GET", path)
        assert len(lines) == 1, (what, lines)
        if shown is not None:
            assert f"(key {shown})" in lines[0], (what, lines)
        else:
            assert re.search(r"\(key fingerprint [0-9a-f]{12}\)$", lines[0]), (what, lines)
        assert key.split("_", 2)[-1] not in caplog.text, what
        caplog.clear()

    response = world.client.get("/unified/lms/categories", headers=bearer(world.both_key))
    assert response.status_code == 400
    refusals.assert_one(response, "GET", "/unified/lms/categories", world.both_key)

    # A path's encoded control characters arrive decoded from the server (HTTP clients strip them, so the
    # request is made here as the server hands it over): a line or paragraph separator, or a terminal's escape,
    # must not let a caller forge a line of the log or hide one.
    forged = "/admin/x\u2028refused GET /forged with 200\x1b[2K"
    errors.respond(
        Request({"type": "http", "method": "GET", "path": forged, "headers": []}), ApiError(403, "no", key_id="0")
    )
    lines = [record.getMessage() for record in caplog.records]
    assert lines == ["refused GET /admin/x\\u2028refused GET /forged with 200\\x1b[2K with 403: no (key 0)"]
