"""The ops console's world, shared by its unit, reliability and browser tests: the application container over a
SQLite ledger file with two tenants (acme, globex) whose Workday report and provider members are fakes, the real
ledger, outbox and status behind them, an admin key and a tenant key, and a fixed clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dependency_injector import providers
from fastapi import FastAPI
from fastapi.testclient import TestClient

from adapters.fakes import FixedClock, InMemoryMemberRegistry, InMemoryWorkerDirectory
from app.application import Application
from app.container import TenantContainer
from app.http import create_app
from app.http.services import api_dependencies
from app.settings import ConsoleSettings, Settings
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.runs import Run, RunOutcome
from domain.workers import MalformedRow, ReportEntry
from tests.factories import a_member_for, a_worker
from tests.unit.http.world import tenant_settings

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class People:
    """One tenant's Workday report and provider members, as fakes."""

    def __init__(self) -> None:
        self.directory = InMemoryWorkerDirectory()
        self.members = InMemoryMemberRegistry()

    def install(self, container: TenantContainer) -> None:
        container.worker_directory.override(providers.Object(self.directory))
        container.member_registry.override(providers.Object(self.members))


class ConsoleWorld:
    def __init__(
        self, ledger: Path, console: ConsoleSettings | None = None, tenants: tuple[str, ...] = ("acme", "globex")
    ) -> None:
        self.clock = FixedClock(NOW)
        self.people = {name: People() for name in tenants}
        settings = Settings(
            ledger_url=f"sqlite:///{ledger}",
            tenants={name: tenant_settings(name) for name in self.people},
            console=console or ConsoleSettings(),
        )
        self.application = Application(settings=settings)
        self.application.clock.override(providers.Object(self.clock))
        self.application.tenants_recheck_seconds.override(providers.Object(0.0))
        registry = self.application.tenants()
        registry.when_built(lambda name, built: self.people[name].install(built) if name in self.people else None)
        for name in self.people:
            registry.get(name)
        keys = self.application.api_keys()
        admin, self.admin_key = keys.create([], NOW, admin=True)
        tenant, self.tenant_key = keys.create(["acme"], NOW)
        self.admin_id, self.tenant_id = admin.id, tenant.id
        self.app: FastAPI = create_app(api_dependencies(self.application))

    def client(self) -> TestClient:
        """A browser of its own: cookies kept, redirects not followed (so each answer can be read)."""
        return TestClient(self.app, base_url="http://127.0.0.1", follow_redirects=False)

    def blocked_plan(self, tenant: str = "acme", kept: int = 2, total: int = 10) -> Run:
        """A membership run the removal guard blocks: the report holds ``kept`` of ``total`` members' workers
        (and one row it rejects), so the rest look gone."""
        workers = [a_worker() for _ in range(total)]
        rows: list[ReportEntry] = [*workers[:kept], MalformedRow(kept + 1, "Hire_Date", "is not a date", None, None)]
        self.people[tenant].directory.rows = rows
        self.people[tenant].members.by_id = {m.id: m for m in (a_member_for(w) for w in workers)}
        run = self.application.tenants().get(tenant).sync_membership()(force=False).run
        assert run.outcome is RunOutcome.BLOCKED, run.message
        return run

    def in_step(self, tenant: str, size: int = 5) -> Run:
        """A membership run that succeeds: the report and the members agree but for one newcomer to invite."""
        workers = [a_worker() for _ in range(size)]
        self.people[tenant].directory.rows = list(workers)
        self.people[tenant].members.by_id = {m.id: m for m in (a_member_for(w) for w in workers[1:])}
        run = self.application.tenants().get(tenant).sync_membership()(force=False).run
        assert run.outcome is RunOutcome.SUCCEEDED, run.message
        return run

    def report_unavailable(self, tenant: str) -> Run:
        """A membership run that fails: Workday's report is cut short."""
        self.people[tenant].directory.rows = [a_worker() for _ in range(3)]
        self.people[tenant].directory.fail_after = 1
        run = self.application.tenants().get(tenant).sync_membership()(force=False).run
        assert run.outcome is RunOutcome.FAILED, run.message
        return run

    def completions(self, tenant: str, pending: int = 0, retrying: int = 0, refused: int = 0) -> None:
        """Completions in the tenant's outbox: waiting for their first delivery, retried after a failure, and
        refused by Workday for good."""
        outbox = self.application.completion_outbox()
        now = self.clock.now()
        made = iter(range(1, pending + retrying + refused + 1))

        def enqueue() -> int:
            number = next(made)
            completion = LearningCompletion(f"E{number:04d}", f"COURSE-{number:03d}", CompletionResult.PASS, now)
            return outbox.enqueue(tenant, completion, now)[0].id

        for _ in range(pending):
            enqueue()
        for _ in range(retrying):
            outbox.retry_later(enqueue(), "Workday answered 503: try again later", now, now + timedelta(minutes=5))
        for _ in range(refused):
            outbox.mark_failed(enqueue(), "Validation_Fault: the learner is not enrolled in the course", now)

    def seated(self, tenant: str = "acme") -> int:
        return sum(1 for member in self.people[tenant].members.members() if member.has_access)


def csrf_of(page: str) -> str:
    """The CSRF token a page's forms carry."""
    found = CSRF.search(page)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def signed_in(world: ConsoleWorld, name: str = "Ada") -> TestClient:
    """A client signed in with the admin key, as ``name``."""
    client = world.client()
    token = csrf_of(client.get("/console/login").text)
    answer = client.post("/console/login", data={"key": world.admin_key, "name": name, "csrf": token})
    assert answer.status_code == 303, answer.text
    return client
