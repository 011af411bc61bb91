"""Intruders: the HTTP API refuses missing, wrong, expired, revoked and other-account keys; keys are stored
hashed; no secret (OAuth client secret, refresh token, access token, ISU password, LumiQ API key, API key)
appears in any log record or output of a sync or an API call; an external reference or a user id with path or
XML metacharacters changes no other record."""

from __future__ import annotations

import base64
import copy
import logging
import sqlite3
from pathlib import Path

import pytest
from dependency_injector import providers

from adapters.lumiq import LumiqCompletionSource, LumiqMemberRegistry
from adapters.storage import create_engine_for
from adapters.storage.api_keys import SqlApiKeyStore
from adapters.workday.transcript_sink import WorkdayTranscriptSink
from app.container import build_container
from app.sandbox_settings import sandbox_settings
from domain.errors import PortUnavailable
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
        for chosen in (tenant, isu_raas):
            container = build_container(settings=settings.model_copy(update={"tenants": {"sandbox": chosen}}))
            key, size = chosen.lumiq.api_key, chosen.lumiq.page_size
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
            # Failures on the way, so the retry and error paths log too: 401s make the token be refreshed.
            sandbox.faults.fail_next = [503, 500, 429, 401, 500, 503, 401]
            for step in (container.sync_membership, sandbox.revoke_tokens, container.sync_transcripts):
                try:
                    result = step()
                    print(result() if callable(result) else result)  # every result, with its messages
                except PortUnavailable as problem:  # a run that could not start says why: that is checked too
                    print(f"could not start: {problem!r}")
            container.shutdown_resources()

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
    secrets = {
        "client secret": config.client_secret,
        "refresh token": config.refresh_token,
        "ISU password": config.isu_password,
        "ISU Basic credentials": base64.b64encode(f"{config.isu_username}:{config.isu_password}".encode()).decode(),
        "LumiQ API key": config.lumiq_api_key,
        "API key": api_world.acme_key,
        "API key secret": api_world.acme_key.split("_", 2)[2],
    }
    print(f"\nsecrets: {len(caplog.records)} log records and {len(everything)} characters searched for {len(secrets)}")
    assert len(caplog.records) > 10, "the syncs should have logged their retries"
    for what, secret in secrets.items():
        assert secret not in everything, f"the {what} appears in the logs or output"


def test_an_external_reference_with_metacharacters_changes_no_other_course(world: World) -> None:
    world.seed_course()
    workday = world.tenants["acme"].workday
    before = copy.deepcopy(workday.courses)
    for n, reference in enumerate(HOSTILE):
        content = {**CONTENT, "external_reference": reference, "title": f"Hostile course {n}"}
        response = world.client.put("/unified/lms/content", json=content, headers=world.as_acme())
        assert response.status_code in (200, 201, 422), response.text
    after = workday.courses
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
