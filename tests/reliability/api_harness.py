"""Shared by the reliability suite's API tests: the HTTP API's dependencies over a running sandbox (the real
container and adapters, with the Learning adapters' retry waits recorded rather than slept and a clock the test
moves), the API served by uvicorn on loopback, and the payloads posted to it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import uvicorn
from dependency_injector import providers
from fastapi import FastAPI

from adapters.fakes import FixedClock
from adapters.storage.completion_outbox import SqlCompletionOutbox
from adapters.workday.learning.catalog import SoapLearningCatalog
from adapters.workday.learning.course_publisher import WorkdayCoursePublisher
from adapters.workday.learning.enrollment_registry import WorkdayEnrollmentRegistry
from adapters.workday.talent.skills import WorkdaySkills
from app.application import build_application
from app.http.services import ApiDependencies, api_dependencies
from app.runtime.delivery import Drain
from app.sandbox_settings import sandbox_settings
from domain.outbox import OutboxStatus
from domain.ports.clock import Clock
from sandbox.server import SandboxServer
from tests.reliability.harness import SOAP_RETRY, RecordedSleeps

ACCOUNT = "sandbox"
"""The one account: the sandbox's tenant, as ``sandbox_settings`` names it."""
COMPLETIONS = "/unified/lms/users/{}/completions"


def sandbox_api(sandbox: SandboxServer, ledger_url: str, sleeps: RecordedSleeps, clock: Clock) -> ApiDependencies:
    """What ``wlc serve`` builds for the sandbox's tenant, but with ``clock`` and the Learning retries' waits
    recorded in ``sleeps``."""
    application = build_application(settings=sandbox_settings(sandbox.base_url, sandbox.config, ledger_url))
    application.clock.override(providers.Object(clock))
    for name in application.tenants().names:
        container = application.tenants().get(name)
        for provider, adapter in (
            (container.learning_catalog, SoapLearningCatalog),
            (container.enrollment_registry, WorkdayEnrollmentRegistry),
        ):
            provider.override(providers.Singleton(adapter, container.learning_client, retry=SOAP_RETRY, sleep=sleeps))
        skills = providers.Singleton(WorkdaySkills, container.talent_client.provider, retry=SOAP_RETRY, sleep=sleeps)
        container.course_publisher.override(
            providers.Singleton(
                WorkdayCoursePublisher, container.learning_client, skills, retry=SOAP_RETRY, sleep=sleeps
            )
        )
    return api_dependencies(application)


def headers(deps: ApiDependencies, now: datetime) -> dict[str, str]:
    """A new API key for the account, as request headers."""
    _, key = deps.keys.create([ACCOUNT], now)
    return {"Authorization": f"Bearer {key}", "x-account-id": ACCOUNT}


def course(reference: str) -> dict[str, Any]:
    """A content payload with only what is required."""
    return {
        "title": f"Course {reference}",
        "external_reference": reference,
        "content_url": f"https://provider.example.com/courses/{reference.lower()}",
        "categories": [{"name": "Sales"}],
    }


def completion(reference: str, completed_at: datetime) -> dict[str, Any]:
    return {
        "learning_object_external_reference": reference,
        "result": {"value": "Pass"},
        "completed_at": completed_at.isoformat(),
        "score": {"value": 90},
    }


def deliver_all(worker: Drain, outbox: SqlCompletionOutbox, clock: FixedClock, rounds: int = 8) -> int:
    """Drains the outbox until nothing is pending, moving ``clock`` past the backoff of the entries left for
    later; returns how many deliveries were attempted. Gives up after ``rounds`` drains."""
    attempted = 0
    for _ in range(rounds):
        attempted += worker.drain(limit=1_000_000)
        if not any(entry.status is OutboxStatus.PENDING for entry in outbox.entries(ACCOUNT)):
            break
        clock.advance(timedelta(hours=1))
    return attempted


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` under uvicorn on 127.0.0.1 and an ephemeral port, in a thread; yields its base URL. The socket
    listens before uvicorn starts, so requests sent at once wait in its backlog rather than being refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, http="h11", loop="asyncio", log_level="warning", access_log=False, backlog=2048)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="wlc-api", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
