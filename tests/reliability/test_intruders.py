"""Intruders: the HTTP API refuses missing, wrong, expired, revoked and other-account keys; keys are stored
hashed; no secret (OAuth client secret, refresh token, access token, ISU password, LumiQ API key, API key)
appears in any log record or output of a sync or an API call; an external reference or a user id with path or
XML metacharacters changes no other record."""

from __future__ import annotations

import base64
import copy
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from dependency_injector import providers

from adapters.lumiq import LumiqCompletionSource, LumiqMemberRegistry
from adapters.storage import create_engine_for
from adapters.storage.api_keys import SqlApiKeyStore
from adapters.workday.learning.transcript_sink import WorkdayTranscriptSink
from app.container import TenantContainer, build_container
from app.sandbox_settings import sandbox_settings
from app.settings import Settings
from app.use_cases.membership import MembershipSyncResult
from app.use_cases.transcripts import TranscriptSyncResult
from domain.errors import PortUnavailable
from domain.runs import RunOutcome
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer
from tests.reliability.harness import LUMIQ_RETRY, SOAP_RETRY, RecordedSleeps
from tests.unit.http.world import COMPLETION, CONTENT, NOW, World, later

COMPLETIONS = "/unified/lms/users/{}/completions"
HOSTILE = ["../ADV-SALES-001", "..%2FADV-SALES-001", "ADV-SALES-001/../x", "<ADV>", "A&B", "]]>", "'\"", "%00", "a\\b"]


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path / "ledger.sqlite3")


def test_the_api_refuses_every_key_that_is_not_good_for_the_account(world: World) -> None:
    _, expired = world.keys.create(["acme"], NOW - later(30), expires_at=NOW - later(1))
    revoked_key, revoked = world.keys.create(["acme"], NOW)
    world.keys.revoke(revoked_key.id, NOW)
    _, key_id, secret = world.acme_key.split("_", 2)
    attempts = {
        "no key": ({}, 401),
        "an empty bearer": ({"Authorization": "Bearer "}, 401),
        "a made-up key": ({"Authorization": "Bearer wlc_0000_notakey"}, 401),
        "a key with a wrong secret": ({"Authorization": f"Bearer wlc_{key_id}_{secret[::-1]}"}, 401),
        "a key with a secret one character short": ({"Authorization": f"Bearer {world.acme_key[:-1]}"}, 401),
        "an expired key": ({"Authorization": f"Bearer {expired}"}, 401),
        "a revoked key": ({"Authorization": f"Bearer {revoked}"}, 401),
        "another account's key": ({"Authorization": f"Bearer {world.globex_key}"}, 403),
        "another account's key as Basic": (
            {"Authorization": "Basic " + base64.b64encode(f"{world.globex_key}:".encode()).decode()},
            403,
        ),
        "an unknown account": ({"Authorization": f"Bearer {world.both_key}", "x-account-id": "initech"}, 403),
        "another scheme": ({"Authorization": f"Token {world.acme_key}"}, 401),
    }
    for what, (given, status) in attempts.items():
        headers = given if "x-account-id" in given else {**given, "x-account-id": "acme"}
        for method, url in (("GET", "/unified/lms/categories"), ("POST", COMPLETIONS.format("21001"))):
            response = world.client.request(method, url, headers=headers, json=COMPLETION)
            assert response.status_code == status, f"{what}, {method} {url}: {response.text}"
    assert world.client.get("/unified/lms/categories", headers=world.as_acme()).status_code == 200


def test_keys_are_stored_hashed(world: World) -> None:
    path = world.ledger_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        dump = "\n".join(connection.iterdump())
    for key in (world.acme_key, world.globex_key, world.both_key):
        secret = key.split("_", 2)[2]
        assert secret not in dump
        assert SqlApiKeyStore(create_engine_for(world.ledger_url)).verify(key, NOW) is not None


def test_no_secret_appears_in_any_log_or_output(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    config = SandboxConfig(workers=300, seed=43, completions=150, soap_rate_limit=None)
    with SandboxServer(config) as sandbox:
        settings = sandbox_settings(sandbox.base_url, config, f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
        tenant = settings.tenants["sandbox"]
        isu_raas = tenant.model_copy(update={"raas": tenant.raas.model_copy(update={"auth": "isu"})})
        sleeps = RecordedSleeps()
        outcomes = [
            outcome
            for chosen in (tenant, isu_raas)
            for outcome in _sync_through_failures(
                sandbox, settings.model_copy(update={"tenants": {"sandbox": chosen}}), sleeps
            )
        ]
        grants = sandbox.tokens.issued
        delivered = len(sandbox.workday_learning.records())
    # A tenant that rotates its refresh token on every grant: the rotated ones are secrets too.
    rotating = SandboxConfig(workers=300, seed=47, completions=150, soap_rate_limit=None, rotate_refresh_tokens=True)
    with SandboxServer(rotating) as sandbox:
        settings = sandbox_settings(sandbox.base_url, rotating, f"sqlite:///{tmp_path / 'rotating.sqlite3'}")
        outcomes += _sync_rotating(sandbox, settings, RecordedSleeps())
        rotated_grants = sandbox.tokens.issued

    api_world = World(tmp_path / "api.sqlite3")
    api_world.seed_course()
    api_world.client.post(COMPLETIONS.format("21001"), json=COMPLETION, headers=api_world.as_acme())
    api_world.client.get("/unified/lms/categories", headers={"Authorization": f"Bearer {api_world.acme_key}x"})
    api_world.client.get("/unified/lms/categories", headers=api_world.headers_for("globex") | {"x-account-id": "acme"})

    captured = capsys.readouterr()
    everything = "\n".join(
        [captured.out, captured.err]
        + [record.getMessage() for record in caplog.records]
        + [repr(record.args) for record in caplog.records]
        + [caplog.text]
    )
    access_tokens = [grant.access_token for grant in (*grants, *rotated_grants)]
    refresh_tokens = [grant.refresh_token for grant in rotated_grants if grant.refresh_token is not None]
    secrets = {
        "client secret": config.client_secret,
        "refresh token": config.refresh_token,
        "ISU password": config.isu_password,
        "ISU Basic credentials": base64.b64encode(f"{config.isu_username}:{config.isu_password}".encode()).decode(),
        "LumiQ API key": config.lumiq_api_key,
        "API key": api_world.acme_key,
        "API key secret": api_world.acme_key.split("_", 2)[2],
        **{f"access token {n}": token for n, token in enumerate(access_tokens, 1)},
        **{f"rotated refresh token {n}": token for n, token in enumerate(refresh_tokens, 1)},
    }
    print(
        f"\nsecrets: {len(caplog.records)} log records and {len(everything)} characters searched for {len(secrets)} "
        f"({len(access_tokens)} access tokens and {len(refresh_tokens)} rotated refresh tokens the sandbox issued); "
        f"runs: {[o.value for o in outcomes]}; {delivered} records delivered"
    )
    assert len(caplog.records) > 10, "the syncs should have logged their retries"
    # The tokens searched for were issued and used: the clean runs got through with them.
    assert RunOutcome.SUCCEEDED in outcomes
    assert delivered > 0
    assert len(grants) >= 2
    assert len(refresh_tokens) >= 2
    for what, secret in secrets.items():
        assert secret not in everything, f"the {what} appears in the logs or output"


def _sync_through_failures(sandbox: SandboxServer, settings: Settings, sleeps: RecordedSleeps) -> list[RunOutcome]:
    """A membership sync and a transcript sync, each through a series of failures (401s among them, so the
    token is refreshed) and then again cleanly, so that access tokens are issued and used; each in a container
    of its own, as each ``wlc`` command is a process of its own. The outcome of each run that started."""
    outcomes: list[RunOutcome] = []
    for sync in ("sync_membership", "sync_transcripts"):
        for failures in ([503, 500, 429, 401, 500, 503, 401], []):
            sandbox.faults.fail_next = failures
            container = _container(settings, sleeps)
            try:
                outcomes += _run(getattr(container, sync))
            finally:
                container.shutdown_resources()
    return outcomes


def _sync_rotating(sandbox: SandboxServer, settings: Settings, sleeps: RecordedSleeps) -> list[RunOutcome]:
    """Membership syncs and a transcript sync in one container, as ``wlc serve`` would run them: the refresh
    token rotated by one grant is redeemed by the next (a new process would not know it)."""
    container = _container(settings, sleeps)
    try:
        outcomes: list[RunOutcome] = []
        for failures in ([], [401], [401]):  # a 401 makes the token be refreshed, and the refresh token rotate
            sandbox.faults.fail_next = failures
            outcomes += _run(container.sync_membership)
        return outcomes + _run(container.sync_transcripts)
    finally:
        container.shutdown_resources()


def _run(sync: Callable[[], Callable[[], MembershipSyncResult | TranscriptSyncResult]]) -> list[RunOutcome]:
    """Runs the use case ``sync`` makes and prints its result (or why the run could not start), so that it is
    searched for secrets too."""
    try:
        result = sync()()
    except PortUnavailable as problem:
        print(f"could not start: {problem!r}")
        return []
    print(result)  # every result, with its messages
    return [result.outcome]


def _container(settings: Settings, sleeps: RecordedSleeps) -> TenantContainer:
    container = build_container(settings=settings)
    tenant = container.tenant()
    key, size = tenant.lumiq.api_key, tenant.lumiq.page_size
    container.transcript_sink.override(
        providers.Singleton(WorkdayTranscriptSink, container.learning_client, retry=SOAP_RETRY, sleep=sleeps)
    )
    container.member_registry.override(
        providers.Singleton(
            LumiqMemberRegistry, container.lumiq_http, key, page_size=size, retry=LUMIQ_RETRY, sleep=sleeps
        )
    )
    container.completion_source.override(
        providers.Singleton(
            LumiqCompletionSource, container.lumiq_http, key, page_size=size, retry=LUMIQ_RETRY, sleep=sleeps
        )
    )
    return container


def test_an_external_reference_with_metacharacters_changes_no_other_course(world: World) -> None:
    world.seed_course()
    workday = world.tenants["acme"].workday
    before = copy.deepcopy(workday.stored_courses)
    for n, reference in enumerate(HOSTILE):
        content = {**CONTENT, "external_reference": reference, "title": f"Hostile course {n}"}
        response = world.client.put("/unified/lms/content", json=content, headers=world.as_acme())
        assert response.status_code in (200, 201, 422), response.text
    after = workday.stored_courses
    for wid, course in before.items():
        assert after[wid] == course, f"{course.catalog.external_reference} was changed"
    stored = {c.catalog.external_reference for c in after.values()}
    print(f"\nhostile references: {len(after) - len(before)} new courses, stored as {sorted(stored)}")
    assert stored <= {"ADV-SALES-001", *HOSTILE}


def test_a_user_id_with_metacharacters_reaches_no_other_learners_completion(world: World) -> None:
    world.seed_course()
    accepted = world.client.post(COMPLETIONS.format("21001"), json=COMPLETION, headers=world.as_acme())
    assert accepted.status_code == 202, accepted.text
    entry = accepted.json()["id"]
    for learner in ["..", "../21001", "..%2F21001", "21001%2F..", "<21001>", "21001&x", "]]>"]:
        for method in ("GET", "DELETE"):
            response = world.client.request(method, COMPLETIONS.format(learner) + f"/{entry}", headers=world.as_acme())
            assert response.status_code in (404, 405, 409, 422), f"{method} {learner}: {response.text}"
        posted = world.client.post(COMPLETIONS.format(learner), json=COMPLETION, headers=world.as_acme())
        assert posted.status_code in (202, 404, 405, 422), posted.text
        assert posted.status_code != 202 or posted.json()["id"] != entry
    mine = world.client.get(COMPLETIONS.format("21001") + f"/{entry}", headers=world.as_acme())
    assert mine.status_code == 200
    assert mine.json()["learner_id"] == "21001"
    assert mine.json()["status"] == "pending"
