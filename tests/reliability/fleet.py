"""A fleet of customer tenants on the runtime: one sandbox playing every tenant's Workday (``also_serves``, each
tenant with a rate limit of its own; in a process of its own, ``tests/sandbox_process.py``), a ledger of its own on
PostgreSQL, the tenants in a ``wlc.toml``, and ``wlc worker`` processes as an operator runs them. Shared by
``tests/reliability/test_runtime_load.py``, ``test_workers_die.py`` and ``bench/runtime_scale.py``: what each
worker costs (CPU, resident set, read from ``/proc``), and what each tenant's Workday saw (its busiest one-second
window, its enrollments)."""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, make_url, text

from app.application import Application, build_application
from app.runtime.client import close_clients
from app.sandbox_settings import sandbox_toml
from app.settings import load_settings
from domain.learning_completions import CompletionResult, LearningCompletion
from sandbox.config import SandboxConfig
from sandbox.population import worker_at
from sandbox.server import SandboxServer
from sandbox.workday.learning.courses import CourseLesson, StoredCourse
from sandbox.workday.learning.enrollments import StoredEnrollment
from tests.fork_server import WlcProcess
from tests.sandbox_process import SandboxProcess
from tests.worker_processes import start_workers

T = TypeVar("T")
COURSE = "FLEET-1"
"""The one course each tenant's Workday holds, which every completion names."""
LIMIT = 5
"""Each tenant's Workday accepts at most this many SOAP requests in any one second; each tenant's ``rate_limit``."""
POSTGRES_URL = os.environ.get("WLC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def tenant_names(count: int) -> list[str]:
    return [f"t{n:03d}" for n in range(count)]


def sandbox_config(tenants: list[str], learners: int = 200) -> SandboxConfig:
    return SandboxConfig(
        workers=learners, completions=0, seed_lumiq=False, soap_rate_limit=LIMIT, also_serves=tuple(tenants)
    )


def postgres_answers(url: str = POSTGRES_URL) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 2})
    try:
        with engine.connect():
            return True
    except Exception:
        return False
    finally:
        engine.dispose()


@contextmanager
def own_database(server: str = POSTGRES_URL) -> Iterator[str]:
    """A database of its own on ``server``, dropped afterwards."""
    name = f"wlc_fleet_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        close_clients()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass(frozen=True, slots=True)
class Usage:
    cpu_seconds: float
    rss_kb: int


def usage(pid: int) -> Usage:
    """A process's CPU so far (user and system) and its resident set, from ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text("ascii").rpartition(")")[2].split()
    ticks = int(fields[11]) + int(fields[12])
    rss = next(
        int(line.split()[1])
        for line in Path(f"/proc/{pid}/status").read_text("ascii").splitlines()
        if line.startswith("VmRSS:")
    )
    return Usage(ticks / os.sysconf("SC_CLK_TCK"), rss)


class Fleet:
    """``tenants`` on the sandbox, a ``wlc.toml`` naming them all, and the worker processes started on it."""

    def __init__(
        self,
        sandbox: SandboxProcess,
        ledger_url: str,
        scratch: Path,
        tenants: list[str],
        *,
        tick_seconds: int = 1,
        queue_polling_seconds: float = 0.2,
        deliveries_per_session: int = 500,
        worker_timeout_seconds: float | None = None,
        rate_margin_ms: int | None = None,
        sessions_per_worker: int | None = None,
    ) -> None:
        self.sandbox = sandbox
        self.tenants = tenants
        body = sandbox_toml(sandbox.base_url, sandbox.config, ledger_url).partition("[tenants.sandbox]\n")
        head = body[0].replace('default_tenant = "sandbox"\n', "")
        runtime = (
            f"[runtime]\ntick_seconds = {tick_seconds}\nqueue_polling_seconds = {queue_polling_seconds}\n"
            f"deliveries_per_session = {deliveries_per_session}\n"
        )
        if worker_timeout_seconds is not None:  # a worker beats ten times within the timeout
            beat = worker_timeout_seconds / 10
            runtime += f"heartbeat_seconds = {beat}\nworker_timeout_seconds = {worker_timeout_seconds}\n"
        if sessions_per_worker is not None:
            runtime += f"sessions_per_worker = {sessions_per_worker}\n"
        own = f'tenant = "{sandbox.config.tenant}"'
        tenant = body[2]
        if rate_margin_ms is not None:
            tenant = tenant.replace("\nrate_limit = ", f"\nrate_margin_ms = {rate_margin_ms}\nrate_limit = ")
        sections = [
            f"[tenants.{name}]\n"
            + tenant.replace("[tenants.sandbox.", f"[tenants.{name}.").replace(own, f'tenant = "{name}"')
            for name in tenants
        ]
        self.config = scratch / "wlc.toml"
        self.config.write_text(head + runtime + "".join(sections), "utf-8")
        self.application: Application = build_application(settings=load_settings(self.config))
        self.application.tenants().names  # noqa: B018 - the file's tenants imported, once, here
        self.workers: dict[str, WlcProcess] = {}
        self.logs: dict[str, list[str]] = {}
        sandbox.apply(_publish_course, tenants)

    def learners(self, count: int) -> list[str]:
        return [worker_at(self.sandbox.config, n).employee_id for n in range(count)]

    def fill(self, per_tenant: int) -> int:
        """``per_tenant`` completions of distinct learners in each tenant's outbox (one transaction per tenant);
        how many were added."""
        outbox, now = self.application.completion_outbox(), datetime.now(UTC)
        learners = self.learners(per_tenant)
        added = 0
        for name in self.tenants:
            items = [(name, completion(learner, n)) for n, learner in enumerate(learners)]
            added += sum(1 for _, new in outbox.enqueue_many(items, now) if new)
        return added

    def start(self, *executors: str) -> list[int]:
        """Starts workers, all at once; returns their pids once each says it runs."""
        started = start_workers(dict.fromkeys(executors, self.config), 120)
        for worker in started:
            self.workers[worker.executor], self.logs[worker.executor] = worker.process, worker.lines
        return [worker.process.pid for worker in started]

    def kill(self, executor: str) -> None:
        """SIGKILLs the worker; its id is not used again."""
        process = self.workers.pop(executor)
        process.kill()
        process.wait()

    def taken_over(self, dead: str) -> bool:
        """Whether a worker has said it took over ``dead``."""
        return any(f"took over worker {dead}" in line for lines in self.logs.values() for line in lines)

    def usage(self) -> dict[str, Usage]:
        return {executor: usage(process.pid) for executor, process in self.workers.items()}

    def stop_workers(self) -> None:
        for process in self.workers.values():
            process.send_signal(signal.SIGTERM)
        for process in self.workers.values():
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.workers.clear()

    def close(self) -> None:
        self.stop_workers()
        self.application.tenants().close()
        self.application.ledger_engine().dispose()

    def enrollments(self, tenant: str) -> list[StoredEnrollment]:
        """The enrollments the tenant's Workday holds."""
        return self.sandbox.apply(_enrollments, tenant)

    def delivered(self) -> int:
        """Enrollments every tenant's Workday holds as completed."""
        return self.sandbox.apply(_completed, self.tenants)

    def busiest(self) -> dict[str, int]:
        """Each tenant's busiest one-second window, as its Workday counted the requests it accepted."""
        return self.sandbox.apply(busiest_windows, self.tenants)

    def refused(self) -> int:
        """Requests the tenants' Workday refused for their rate (429)."""
        return self.sandbox.apply(refused_requests, self.tenants)

    def accepted_times(self) -> list[float]:
        """When the tenants' Workday accepted each request (its monotonic clock)."""
        return self.sandbox.apply(_accepted_times, self.tenants)


def completion(learner: str, n: int) -> LearningCompletion:
    return LearningCompletion(
        learner_id=learner,
        learning_object_external_reference=COURSE,
        result=CompletionResult.PASS,
        completed_at=datetime(2026, 1, 5, 8, 0, tzinfo=UTC) + timedelta(minutes=n),
        score=Decimal(90),
    )


# What follows runs in the sandbox's process (``SandboxProcess.apply``).


def _publish_course(sandbox: SandboxServer, tenants: list[str]) -> None:
    """The course, as the provider's content upsert would have put it in each tenant's Workday."""
    lesson = CourseLesson(Decimal(1), "Lesson", "external", True, url="https://provider.example.com/fleet-1")
    for tenant in tenants:
        store = sandbox.state.courses.tenant(tenant)
        topic = store.topics[0].id
        course = StoredCourse("", COURSE, "Fleet course", "", False, (topic,), lessons=(lesson,))
        store.manage_course(None, COURSE, course)


def _enrollments(sandbox: SandboxServer, tenant: str) -> list[StoredEnrollment]:
    return sandbox.state.enrollments.tenant(tenant).enrollments()


def _completed(sandbox: SandboxServer, tenants: list[str]) -> int:
    stores = [sandbox.state.enrollments.tenant(tenant) for tenant in tenants]
    return sum(1 for store in stores for e in store.enrollments() if e.completion is not None)


def busiest_windows(sandbox: SandboxServer, tenants: list[str]) -> dict[str, int]:
    return {tenant: sandbox.soap_limiter.busiest_window(tenant) for tenant in tenants}


def refused_requests(sandbox: SandboxServer, tenants: list[str]) -> int:
    return sum(sandbox.soap_limiter.refused(tenant) for tenant in tenants)


def _accepted_times(sandbox: SandboxServer, tenants: list[str]) -> list[float]:
    return [moment for tenant in tenants for moment in sandbox.soap_limiter.accepted_times(tenant)]
