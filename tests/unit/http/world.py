"""The API of the application container, with two tenants (acme, globex) whose Workday and provider are fakes
installed over their containers' adapters (every container built for them, after a change too), on a SQLite
ledger file, with keys for each, a provider-admin key and a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from dependency_injector import providers
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from adapters.fakes import (
    FixedClock,
    InMemoryCompletionSource,
    InMemoryCoverImages,
    InMemoryDeliveryLedger,
    InMemoryEnrollmentRegistry,
    InMemoryMemberRegistry,
    InMemorySyncLedger,
    InMemoryTranscriptSink,
    InMemoryWorkdayLearning,
    InMemoryWorkerDirectory,
)
from app.application import Application
from app.container import TenantContainer
from app.http import create_app
from app.http.services import api_dependencies
from app.runtime.delivery import Drain
from app.settings import ApiSettings, LumiqSettings, RaasSettings, Settings, TenantSettings
from domain.course_wrapper import CoverImage
from domain.learning_content import Named
from domain.ports.completion_outbox import CompletionOutbox

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
COVER_URL = "https://cdn.example.com/images/adv-sales-001.jpg"
TOPICS = [Named("Sales", "topic-sales"), Named("Technology", "cat-technology"), Named("Compliance")] + [
    Named(f"Topic {n:03d}", f"topic-{n:03d}") for n in range(1, 8)
]
SKILLS = [Named("Sales Techniques", "skill-001"), Named("Customer Engagement", "skill-002")]

CONTENT: dict[str, Any] = {
    "title": "Advanced Sales Techniques",
    "external_reference": "ADV-SALES-001",
    "description": "A comprehensive course covering modern B2B sales strategies.",
    "languages": [{"value": "en_GB"}, {"value": "fr_FR"}],
    "content_url": "https://provider.example.com/courses/adv-sales-001",
    "cover_url": COVER_URL,
    "active": True,
    "duration": "PT1H30M45S",
    "skills": [
        {
            "id": "skill-001",
            "name": "Sales Techniques",
            "hierarchy": {"value": "primary"},
            "language": {"value": "en_GB"},
        },
        {"name": "Customer Engagement", "hierarchy": {"value": "secondary"}},
    ],
    "order": 1,
    "categories": [{"name": "Sales"}, {"id": "cat-technology", "name": "Technology"}],
}
"""Seed 001 section 8.2, as sent (without the doc's trailing comma)."""

COMPLETION: dict[str, Any] = {
    "learning_object_external_reference": "ADV-SALES-001",
    "result": {"value": "Pass"},
    "completed_at": "2025-01-15T14:45:30.000Z",
    "time_spent": "PT45M",
    "score": {"value": 100, "raw_value": "A+"},
}


def tenant_settings(name: str) -> TenantSettings:
    """A tenant's settings; its Workday and provider are fakes, installed over its container's adapters."""
    return TenantSettings(
        host=f"https://{name}.workday.example",
        tenant=name,
        timezone="UTC",
        raas=RaasSettings(url=f"https://{name}.workday.example/ccx/service/customreport2/{name}/ISU/Workers"),
        lumiq=LumiqSettings(base_url="https://lumiq.example/", api_key=SecretStr("fake")),
    )


class Tenant:
    """One tenant's fake Workday and provider, installed over its container's adapters: its use cases are the
    container's own."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.workday = InMemoryWorkdayLearning(TOPICS, SKILLS)
        self.enrollments = InMemoryEnrollmentRegistry(catalog=self.workday)
        self.images = InMemoryCoverImages({COVER_URL: CoverImage("cover.jpg", "image/jpeg", b"\xff\xd8\xff")})
        self.runs = InMemorySyncLedger()
        self.directory = InMemoryWorkerDirectory()
        self.members = InMemoryMemberRegistry()
        self.source = InMemoryCompletionSource()
        self.sink = InMemoryTranscriptSink()
        self.deliveries = InMemoryDeliveryLedger()
        self._container: TenantContainer | None = None

    def install(self, container: TenantContainer) -> None:
        for provider, fake in (
            (container.learning_catalog, self.workday),
            (container.course_publisher, self.workday),
            (container.enrollment_registry, self.enrollments),
            (container.cover_images, self.images),
            (container.worker_directory, self.directory),
            (container.member_registry, self.members),
            (container.completion_source, self.source),
            (container.transcript_sink, self.sink),
            (container.sync_ledger, self.runs),
            (container.delivery_ledger, self.deliveries),
        ):
            provider.override(providers.Object(fake))
        self._container = container

    @property
    def container(self) -> TenantContainer:
        assert self._container is not None, "the world installs each tenant in its container"
        return self._container

    @property
    def push(self) -> Callable[[], Any]:
        return self.container.push_completion

    @push.setter
    def push(self, make: Callable[[], Any]) -> None:
        """Replaces how the tenant's completions are pushed (``make`` gives the push)."""
        self.container.push_completion.override(providers.Callable(make))

    @property
    def sent(self) -> CompletionOutbox:
        return self.container.completion_outbox()

    @sent.setter
    def sent(self, outbox: CompletionOutbox) -> None:
        self.container.completion_outbox.override(providers.Object(outbox))


class World:
    """The API over a ledger file; ``restart`` builds a new app (a new process) on the same file."""

    def __init__(self, ledger: Path | str) -> None:
        """``ledger``: a SQLite file, or a database's URL."""
        self.ledger_url = ledger if isinstance(ledger, str) else f"sqlite:///{ledger}"
        self.clock = FixedClock(NOW)
        self.tenants = {name: Tenant(name) for name in ("acme", "globex")}
        self.app = self._app()
        self.keys = self.application.api_keys()
        _, self.acme_key = self.keys.create(["acme"], NOW)
        _, self.globex_key = self.keys.create(["globex"], NOW)
        _, self.both_key = self.keys.create(["acme", "globex"], NOW)
        _, self.admin_key = self.keys.create([], NOW, admin=True)
        self.client = TestClient(self.app, raise_server_exceptions=False)

    def _app(self, api: ApiSettings | None = None) -> FastAPI:
        settings = Settings(
            ledger_url=self.ledger_url,
            tenants={name: tenant_settings(name) for name in self.tenants},
            api=api or ApiSettings(),
        )
        self.application = Application(settings=settings)
        self.application.clock.override(providers.Object(self.clock))
        self.application.tenants_recheck_seconds.override(providers.Object(0.0))  # each request sees the table
        registry = self.application.tenants()
        # Every container of acme and globex, the first and those rebuilt after a change, gets the fakes.
        registry.when_built(
            lambda name, container: self.tenants[name].install(container) if name in self.tenants else None
        )
        for name in self.tenants:
            registry.get(name)
        self.outbox = self.application.completion_outbox()
        return create_app(api_dependencies(self.application))

    def restart(self, api: ApiSettings | None = None) -> None:
        """A new process on the same ledger, with the API settings ``api`` (the defaults when not given)."""
        self.app = self._app(api)
        self.client = TestClient(self.app, raise_server_exceptions=False)

    @property
    def worker(self) -> Drain:
        """Delivers what is due now, as a worker's delivery sessions would."""
        drain = self.app.state.drain
        assert isinstance(drain, Drain)
        return drain

    def as_admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_key}"}

    def as_acme(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.acme_key}", "x-account-id": "acme"}

    def seed_course(self, tenant: str = "acme") -> None:
        response = self.client.put("/unified/lms/content", json=CONTENT, headers=self.headers_for(tenant))
        assert response.status_code == 201, response.text

    def headers_for(self, tenant: str) -> dict[str, str]:
        key = self.acme_key if tenant == "acme" else self.globex_key
        return {"Authorization": f"Bearer {key}", "x-account-id": tenant}


def later(days: int) -> timedelta:
    return timedelta(days=days)
