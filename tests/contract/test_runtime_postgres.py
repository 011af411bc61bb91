"""The runtime's engine on PostgreSQL, with ``wlc worker`` processes as an operator runs them, against the Workday
sandbox: a tenant never runs two sessions at once across 3 workers; the tick runs once across 2; a worker killed
outright has its session resumed and Workday ends exact; the same due time enqueued twice runs once. Each test has
a database of its own (``WLC_TEST_POSTGRES_URL``'s server; skipped where none answers). Runs are awaited with
deadlines."""

from __future__ import annotations

import itertools
import signal
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from cryptography.fernet import Fernet
from dbos import WorkflowStatus

from app.application import Application, build_application
from app.runtime import names
from app.runtime.client import _client, enqueue_due
from app.sandbox_settings import sandbox_toml
from app.settings import load_settings
from domain.runs import Run, RunKind
from domain.schedules import SyncKind
from sandbox.config import SandboxConfig
from sandbox.population import worker_by_employee_id
from sandbox.server import SandboxServer
from sandbox.workday.learning.store import ItemKind, StoredRecord
from tests.contract.storage_fixtures import postgres_url_or_skip
from tests.fork_server import WlcProcess
from tests.reliability.fleet import busiest_windows, own_database, refused_requests
from tests.reliability.kills import CONCURRENCY
from tests.sandbox_process import SandboxProcess
from tests.waiting import until
from tests.worker_processes import start_workers

pytestmark = pytest.mark.postgres
T = TypeVar("T")
DEADLINE = 120.0


def _until(found: Callable[[], T | None], what: str, deadline: float = DEADLINE) -> T:
    return until(found, what, deadline, every=0.1)


@contextmanager
def _database() -> Iterator[str]:
    with own_database(postgres_url_or_skip()) as url:
        yield url


OFF = 'membership_daily_at = "off"\ntranscripts_every_minutes = "off"\nreconcile_weekly = "off"\n'
"""No session but those a test starts: tenants ``a`` and ``b`` share the sandbox's one Workday tenant, so ``b``'s
hourly transcripts session, started by the tick at the top of an hour, would send every record again."""
WORKER_TIMEOUT = 3
"""Seconds a worker may be silent before another takes it over (``runtime.worker_timeout_seconds``)."""


class Learning:
    """What the sandbox's Workday Learning holds, read in the sandbox's process."""

    def __init__(self, sandbox: SandboxProcess) -> None:
        self._sandbox = sandbox

    def records(self) -> list[StoredRecord]:
        return self._sandbox.apply(_records)

    def put_counts(self, kind: ItemKind) -> dict[str, int]:
        """How many times each item was put, by its ID."""
        return self._sandbox.apply(_put_counts, kind)

    def should_hold(self) -> set[str]:
        """Every passed, unrevoked completion of a learner Workday knows: the records a finished sync leaves."""
        return self._sandbox.apply(_workday_should_hold)

    def refused(self) -> int:
        """Requests the tenant's Workday refused as over its limit (429)."""
        return self._sandbox.apply(refused_requests, [self._sandbox.config.tenant])

    def busiest(self) -> int:
        """The tenant's busiest one-second window, as its Workday counted the requests it accepted."""
        tenant = self._sandbox.config.tenant
        return self._sandbox.apply(busiest_windows, [tenant])[tenant]


class World:
    """A ledger of its own on PostgreSQL, tenants ``a`` and ``b`` on one sandbox (in a process of its own), and
    worker processes."""

    def __init__(self, sandbox: SandboxProcess, ledger_url: str, scratch: Path, tick_seconds: int) -> None:
        self.sandbox = sandbox
        self.learning = Learning(sandbox)
        tenant = sandbox_toml(sandbox.base_url, sandbox.config, ledger_url)
        head, _, body = tenant.partition("[tenants.sandbox]\n")
        head = head.replace('default_tenant = "sandbox"\n', "")
        sections = (f"[tenants.{n}]\n{body.replace('[tenants.sandbox.', f'[tenants.{n}.')}" for n in "ab")
        both = "".join(f"{section}[tenants.{n}.schedules]\n{OFF}" for n, section in zip("ab", sections, strict=True))
        runtime = f"[runtime]\ntick_seconds = {tick_seconds}\nqueue_polling_seconds = 0.1\n"
        runtime += "scheduler_polling_seconds = 0.5\nsessions_per_worker = 1\n"
        runtime += f"heartbeat_seconds = 0.5\nworker_timeout_seconds = {WORKER_TIMEOUT}\n"
        self.config = scratch / "wlc.toml"
        self.config.write_text(head + runtime + both, "utf-8")
        self.application: Application = build_application(settings=load_settings(self.config))
        self.application.tenants().names  # noqa: B018 - the file's tenants imported, once, here
        self.workers: dict[str, WlcProcess] = {}
        self.logs: dict[str, list[str]] = {}

    def start(self, *executors: str) -> None:
        """Starts workers on this world's ``wlc.toml``, all at once; returns once each says it runs."""
        self.start_each(dict.fromkeys(executors, self.config))

    def start_each(self, configs: dict[str, Path]) -> None:
        """Starts a worker under each executor id on its own ``wlc.toml`` (e.g. one whose ledger is reached through
        a proxy), all at once; returns once each says it runs."""
        for worker in start_workers(configs, 60):
            self.workers[worker.executor], self.logs[worker.executor] = worker.process, worker.lines

    def kill(self, executor: str) -> None:
        self.workers[executor].send_signal(signal.SIGKILL)
        self.workers.pop(executor).wait()

    def stop(self) -> None:
        for process in self.workers.values():
            process.send_signal(signal.SIGTERM)
        for process in self.workers.values():
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.application.tenants().close()
        self.application.ledger_engine().dispose()

    def runs(self, tenant: str, kind: RunKind) -> list[Run]:
        return self.application.sync_ledger().runs(limit=1000, tenant=tenant, kind=kind)

    def sessions(self) -> list[tuple[str, str | None, str]]:
        """Every session the engine holds: its id, the worker that ran it, its status."""
        found = _client(self.application.settings()).list_workflows(name=names.SESSION_WORKFLOW, load_input=False)
        return [(each.workflow_id, each.executor_id, each.status) for each in found]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[World]:
    monkeypatch.setenv("WLC_SECRET_KEYS", Fernet.generate_key().decode())
    tick = getattr(request, "param", 60)
    with (
        _database() as ledger_url,
        SandboxProcess(SandboxConfig, workers=40, completions=60, soap_rate_limit=20) as sandbox,
    ):
        world = World(sandbox, ledger_url, tmp_path, tick)
        try:
            yield world
        finally:
            world.stop()


# What follows runs in the sandbox's process (``SandboxProcess.apply``).


def _records(sandbox: SandboxServer) -> list[StoredRecord]:
    return sandbox.workday_learning.records()


def _put_counts(sandbox: SandboxServer, kind: ItemKind) -> dict[str, int]:
    return sandbox.workday_learning.put_counts(kind)


def _workday_should_hold(sandbox: SandboxServer) -> set[str]:
    return {
        c.id
        for c in sandbox.completions.latest().values()
        if c.status == "passed"
        and not c.revoked
        and c.member.employee_id is not None
        and worker_by_employee_id(sandbox.config, c.member.employee_id) is not None
    }


def _due_times(count: int) -> list[datetime]:
    start = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
    return [start + timedelta(hours=n) for n in range(count)]


def test_a_tenant_runs_one_session_at_a_time_across_three_workers(world: World) -> None:
    world.start("w1", "w2", "w3")  # each runs one session at a time: two tenants' sessions at once need two workers
    for tenant in "ab":
        enqueue_due(world.application, tenant, SyncKind.MEMBERSHIP, _due_times(8))

    _until(lambda: all(len(world.runs(t, RunKind.MEMBERSHIP)) == 8 for t in "ab") or None, "16 runs")
    _until(lambda: all(status == "SUCCESS" for _, _, status in world.sessions()) or None, "every session ends")

    for tenant in "ab":
        runs = sorted(world.runs(tenant, RunKind.MEMBERSHIP), key=lambda run: run.started_at)
        for earlier, later in itertools.pairwise(runs):
            assert earlier.finished_at is not None
            assert earlier.finished_at <= later.started_at, (earlier, later)
    assert len({executor for _, executor, _ in world.sessions()}) >= 2  # the workers shared the sessions


def test_the_same_due_time_enqueued_twice_runs_once(world: World) -> None:
    world.start("w1", "w2")
    due = _due_times(1)
    first = enqueue_due(world.application, "a", SyncKind.MEMBERSHIP, due)
    again = enqueue_due(world.application, "a", SyncKind.MEMBERSHIP, due)

    assert first == again
    _until(lambda: all(status == "SUCCESS" for _, _, status in world.sessions()) or None, "the session ends")
    assert len(world.runs("a", RunKind.MEMBERSHIP)) == 1


@pytest.mark.parametrize("world", [1], indirect=True)
def test_the_tick_runs_once_per_time_across_two_workers(world: World) -> None:
    world.start("w1", "w2")
    client = _client(world.application.settings())

    def five_ticks() -> list[WorkflowStatus] | None:
        found = client.list_workflows(name=names.TICK_WORKFLOW, status="SUCCESS")
        return found if len(found) >= 5 else None

    ticks = _until(five_ticks, "five ticks")

    assert len({tick.workflow_id for tick in ticks}) == len(ticks)
    times = [str(tick.input["args"][0]) for tick in ticks if tick.input is not None]
    assert len(set(times)) == len(times) == len(ticks), times
    # one at a time: a tick that ran beside another queued the same delivery sessions again
    assert {tick.queue_name for tick in ticks} == {names.TICKS}
    spans = sorted((tick.dequeued_at or 0, tick.updated_at or 0) for tick in ticks)
    for (_, earlier_end), (later_start, _) in itertools.pairwise(spans):
        assert earlier_end <= later_start, spans


def test_a_killed_workers_session_is_resumed_and_workday_ends_exact(world: World) -> None:
    learning = world.learning
    world.start("w1")
    enqueue_due(world.application, "a", SyncKind.TRANSCRIPTS, _due_times(1))
    _until(lambda: len(learning.records()) >= 5 or None, "the transcripts session under way")
    world.kill("w1")
    at_kill = len(learning.records())

    world.start("w1")  # the worker started again under its id (here or on another machine) resumes its session

    _until(lambda: all(status == "SUCCESS" for _, _, status in world.sessions()) or None, "the resumed session ends")
    expected = learning.should_hold()
    assert {record.id for record in learning.records()} == expected
    assert at_kill < len(expected)
    sent_twice = [item for item, puts in learning.put_counts("record").items() if puts > 1]
    assert len(sent_twice) <= CONCURRENCY  # at most those in flight when it was killed, sent again as updates
    assert len(world.runs("a", RunKind.TRANSCRIPTS)) == 2  # the killed run, and the one that resumed it


def test_a_dead_workers_session_is_resumed_by_another_within_the_timeout_and_workday_ends_exact(
    world: World,
) -> None:
    learning = world.learning
    world.start("w1", "w2")
    enqueue_due(world.application, "a", SyncKind.TRANSCRIPTS, _due_times(1))
    _until(lambda: len(learning.records()) >= 5 or None, "the transcripts session under way")
    running = _until(
        lambda: next((executor for _, executor, status in world.sessions() if status == "PENDING"), None),
        "the worker running the session",
    )
    survivor = "w2" if running == "w1" else "w1"
    world.kill(running)  # and never started again
    at_kill = len(learning.records())

    _until(lambda: all(status == "SUCCESS" for _, _, status in world.sessions()) or None, "the survivor resumes it")

    assert [executor for _, executor, _ in world.sessions()] == [survivor]  # the session ended on the survivor
    took_over = f"took over worker {running}"
    assert any(took_over in line for line in world.logs[survivor]), "".join(world.logs[survivor])
    expected = learning.should_hold()
    assert {record.id for record in learning.records()} == expected
    assert at_kill < len(expected)
    sent_twice = [item for item, puts in learning.put_counts("record").items() if puts > 1]
    assert len(sent_twice) <= CONCURRENCY  # at most those in flight when w1 was killed, sent again as updates
