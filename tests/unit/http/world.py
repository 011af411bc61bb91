"""An API wired to fakes: two accounts (acme, globex) on a SQLite ledger file, keys for each, a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.testclient import TestClient

from adapters.fakes import (
    FixedClock,
    InMemoryCompletionOutbox,
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
from adapters.storage import create_engine_for
from adapters.storage.api_keys import SqlApiKeyStore
from adapters.storage.completion_outbox import SqlCompletionOutbox
from app.http import Accounts, AccountServices, HttpDependencies, create_app
from app.http.outbox_worker import OutboxWorker
from app.settings import ApiSettings
from app.use_cases.deliver import DeliverCompletion
from app.use_cases.lms import DeleteCompletion, GetCompletion, ListCategories, PushCompletion, UpsertContent
from app.use_cases.membership import PlanMembership, SyncMembership
from app.use_cases.reconcile import ReconcileCompletions
from app.use_cases.transcripts import PlanTranscripts, SyncTranscripts
from app.use_cases.views import ListContent, ListEnrollments, ListSkills, ShowContent
from domain.course_wrapper import AccountSettings, CoverImage
from domain.learning_content import Named
from domain.ports.completion_outbox import CompletionOutbox
from domain.removal_guard import RemovalPolicy

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


class Tenant:
    """One account's fake Workday and provider."""

    def __init__(self, name: str, clock: FixedClock) -> None:
        self.name = name
        self.workday = InMemoryWorkdayLearning(TOPICS, SKILLS)
        self.enrollments = InMemoryEnrollmentRegistry(catalog=self.workday)
        self.images = InMemoryCoverImages({COVER_URL: CoverImage("cover.jpg", "image/jpeg", b"\xff\xd8\xff")})
        self.runs = InMemorySyncLedger()
        self.directory = InMemoryWorkerDirectory()
        self.members = InMemoryMemberRegistry()
        self.push: Callable[[], Any] = lambda: PushCompletion(self.workday, self.enrollments)
        self.clock = clock
        self.sent: CompletionOutbox = InMemoryCompletionOutbox()
        """The completions sent: the world's outbox once its app is built."""
        zone = ZoneInfo("UTC")
        self.plan = PlanMembership(self.directory, self.members, clock, zone, RemovalPolicy())
        self.sync = SyncMembership(self.plan, self.members, self.runs, clock, name)
        deliveries = InMemoryDeliveryLedger()
        transcripts = PlanTranscripts(InMemoryCompletionSource(), deliveries, name, zone)
        self.transcripts = SyncTranscripts(transcripts, InMemoryTranscriptSink(), deliveries, self.runs, clock, name)

    def services(self) -> AccountServices:
        return AccountServices(
            name=self.name,
            upsert_content=lambda: UpsertContent(self.workday, self.workday, self.images, AccountSettings()),
            push_completion=lambda: self.push(),  # noqa: PLW0108 - late: tests swap self.push
            deliver_completion=lambda: DeliverCompletion(self.push(), self.sent, self.clock),
            get_completion=lambda: GetCompletion(self.enrollments),
            delete_completion=lambda: DeleteCompletion(self.enrollments, self.sent, self.name, self.clock),
            list_categories=lambda: ListCategories(self.workday),
            list_skills=lambda: ListSkills(self.workday),
            list_content=lambda: ListContent(self.workday),
            show_content=lambda: ShowContent(self.workday),
            list_enrollments=lambda: ListEnrollments(self.workday, self.enrollments),
            plan_membership=lambda: self.plan,
            sync_membership=lambda: self.sync,
            sync_transcripts=lambda: self.transcripts,
            sync_ledger=lambda: self.runs,
            reconcile=lambda: ReconcileCompletions(
                self.workday, self.enrollments, self.sent, self.push(), self.name, self.runs, self.clock
            ),
        )


class World:
    """The API over a ledger file; ``restart`` builds a new app (a new process) on the same file."""

    def __init__(self, ledger: Path) -> None:
        self.ledger_url = f"sqlite:///{ledger}"
        self.clock = FixedClock(NOW)
        self.tenants = {name: Tenant(name, self.clock) for name in ("acme", "globex")}
        self.keys = SqlApiKeyStore(create_engine_for(self.ledger_url))
        _, self.acme_key = self.keys.create(["acme"], NOW)
        _, self.globex_key = self.keys.create(["globex"], NOW)
        _, self.both_key = self.keys.create(["acme", "globex"], NOW)
        self.app = self._app()
        self.client = TestClient(self.app, raise_server_exceptions=False)

    def _app(self, api: ApiSettings | None = None) -> FastAPI:
        engine = create_engine_for(self.ledger_url)
        accounts = Accounts(self.tenants, lambda name: self.tenants[name].services())
        self.outbox = SqlCompletionOutbox(engine)
        for tenant in self.tenants.values():
            tenant.sent = self.outbox
        deps = HttpDependencies(
            accounts=accounts,
            keys=SqlApiKeyStore(engine),
            outbox=self.outbox,
            clock=self.clock,
            api=api or ApiSettings(),
        )
        return create_app(deps, run_worker=False)

    def restart(self, api: ApiSettings | None = None) -> None:
        """A new process on the same ledger, with the API settings ``api`` (the defaults when not given)."""
        self.app = self._app(api)
        self.client = TestClient(self.app, raise_server_exceptions=False)

    @property
    def worker(self) -> OutboxWorker:
        worker = self.app.state.outbox_worker
        assert isinstance(worker, OutboxWorker)
        return worker

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
