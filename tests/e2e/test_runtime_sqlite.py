"""The runtime on its embedded default: a SQLite ledger, the engine on its own SQLite file, one worker, against
the Workday sandbox. Runs are followed by polling their status with a deadline."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from dbos import DBOS

from adapters.storage.worker_heartbeats import SqlWorkerHeartbeats
from app.application import Application, build_application
from app.errors import ConfigurationError
from app.runtime import names
from app.runtime.client import RunState, RunStatus, close_clients, enqueue_due, enqueue_session, run_status
from app.runtime.engine import Engine, SingleRunner
from app.sandbox_settings import sandbox_settings, sandbox_toml
from app.settings import RuntimeSettings
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.outbox import OutboxEntry, OutboxStatus
from domain.runs import RunKind
from domain.schedules import SyncKind
from sandbox.config import SandboxConfig
from sandbox.population import worker_at
from sandbox.server import SandboxServer
from tests.e2e.test_lms_cli import wlc
from tests.waiting import until

T = TypeVar("T")
DEADLINE = 60.0


def _until(found: Callable[[], T | None], what: str, deadline: float = DEADLINE) -> T:
    return until(found, what, deadline, every=0.05)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(workers=40, completions=30, soap_rate_limit=200)) as server:
        yield server


def _application(sandbox: SandboxServer, scratch: Path, **runtime: object) -> Application:
    settings = sandbox_settings(sandbox.base_url, sandbox.config, f"sqlite:///{scratch / 'ledger.sqlite3'}")
    fast = RuntimeSettings.model_validate(
        {"queue_polling_seconds": 0.05, "scheduler_polling_seconds": 0.2, "executor_id": "w1", **runtime}
    )
    return build_application(settings=settings.model_copy(update={"runtime": fast}))


@pytest.fixture
def running(sandbox: SandboxServer, tmp_path: Path) -> Iterator[Application]:
    application = _application(sandbox, tmp_path)
    engine = Engine(application)
    engine.start()
    try:
        yield application
    finally:
        engine.stop(timeout=10)
        close_clients()
        application.tenants().close()


def _finished(application: Application, run_id: str) -> RunStatus:
    def done() -> RunStatus | None:
        status = run_status(application, run_id)
        return status if status is not None and status.state not in (RunState.QUEUED, RunState.RUNNING) else None

    return _until(done, f"run {run_id} ends")


def test_a_tenant_session_runs_the_transcript_sync_and_its_run_is_followed(
    running: Application, sandbox: SandboxServer
) -> None:
    run_id = enqueue_session(running, "sandbox", SyncKind.TRANSCRIPTS)
    status = _finished(running, run_id)
    assert status.state is RunState.FINISHED, status.error
    assert status.tenant == "sandbox"
    assert status.result is not None
    ledger_run = running.sync_ledger().run(status.result["run"])
    assert ledger_run is not None
    assert ledger_run.counts["records_sent"] == len(sandbox.workday_learning.records()) > 0


def test_a_second_trigger_while_one_is_queued_or_running_answers_the_first(running: Application) -> None:
    first = enqueue_session(running, "sandbox", SyncKind.MEMBERSHIP)
    second = enqueue_session(running, "sandbox", SyncKind.MEMBERSHIP)
    assert second == first
    assert _finished(running, first).state is RunState.FINISHED
    third = enqueue_session(running, "sandbox", SyncKind.MEMBERSHIP)
    assert third != first


def test_the_same_due_time_enqueued_twice_runs_once(running: Application) -> None:
    due = [_at("2026-01-05T06:00:00+00:00")]
    first = enqueue_due(running, "sandbox", SyncKind.MEMBERSHIP, due)
    again = enqueue_due(running, "sandbox", SyncKind.MEMBERSHIP, due)
    assert first == again
    _finished(running, first[0])
    assert len(running.sync_ledger().runs(tenant="sandbox", kind=RunKind.MEMBERSHIP)) == 1


def test_a_second_worker_on_the_same_sqlite_file_is_refused(running: Application) -> None:
    from app.runtime.client import system_database_url

    with pytest.raises(ConfigurationError, match="exactly one worker"):
        SingleRunner(system_database_url(running.settings())).acquire()


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_the_tick_starts_the_delivery_of_a_tenant_with_due_completions_by_itself(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    application = _application(sandbox, tmp_path, tick_seconds=1)
    outbox = application.completion_outbox()
    completion = LearningCompletion(
        learner_id=worker_at(sandbox.config, 0).employee_id,
        learning_object_external_reference="NO-SUCH-COURSE",
        result=CompletionResult.PASS,
        completed_at=datetime(2026, 1, 15, 14, 45, tzinfo=UTC),
    )
    entry, _ = outbox.enqueue("sandbox", completion, application.clock().now())
    engine = Engine(application)
    engine.start()
    try:

        def settled_entry() -> OutboxEntry | None:
            got = outbox.get(entry.id)
            return got if got is not None and got.status is not OutboxStatus.PENDING else None

        settled = _until(settled_entry, "the tick delivers the entry")
    finally:
        engine.stop(timeout=10)
        close_clients()
        application.tenants().close()
    assert settled.status is OutboxStatus.FAILED  # Workday has no such course: refused for good
    assert "NO-SUCH-COURSE" in (settled.error or "")


@pytest.mark.soak
def test_a_tenant_schedule_fires_by_itself(sandbox: SandboxServer, tmp_path: Path) -> None:
    """Schedules are whole minutes: this waits for the next one (a minute at most)."""
    application = _application(sandbox, tmp_path, tick_seconds=1)
    application.tenants().names  # noqa: B018 - the file's tenants imported into the table
    application.manage_tenants().change_schedules("sandbox", {"transcripts_every_minutes": 1}).unwrap()
    engine = Engine(application)
    engine.start()
    try:
        runs = _until(
            lambda: application.sync_ledger().runs(tenant="sandbox", kind=RunKind.TRANSCRIPTS),
            "a transcripts run starts by itself",
            deadline=90,
        )
    finally:
        engine.stop(timeout=10)
        close_clients()
        application.tenants().close()
    assert len(runs) == 1


def test_wlc_schedules_trigger_answers_the_queued_run_and_backfill_starts_each_missed_time_once(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    config = tmp_path / "wlc.toml"
    config.write_text(sandbox_toml(sandbox.base_url, sandbox.config, f"sqlite:///{tmp_path / 'l.sqlite3'}"), "utf-8")
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    since = (hour - timedelta(hours=3, minutes=-30)).strftime("%Y-%m-%dT%H:%M:%S")  # 3 whole hours before now

    first = wlc(config, "schedules", "trigger", "sandbox", "transcripts")
    again = wlc(config, "schedules", "trigger", "sandbox", "transcripts")
    backfill = wlc(config, "schedules", "backfill", "sandbox", "transcripts", "--since", since)
    backfill_again = wlc(config, "schedules", "backfill", "sandbox", "transcripts", "--since", since)
    close_clients()

    assert first[0] == again[0] == backfill[0] == 0, (first, backfill)
    assert first[1].startswith("transcripts@")
    assert again[1] == first[1]  # still queued: no worker runs here
    started = [line for line in backfill[1].splitlines() if line.startswith("transcripts@")]
    assert len(started) == 3  # every hour (the tenant's default), the last three hours
    assert [line for line in backfill_again[1].splitlines() if line.startswith("transcripts@")] == started


def _with_tenants(application: Application, count: int) -> Application:
    """``application``'s settings with ``count`` tenants, each the sandbox's under another name."""
    settings = application.settings()
    tenant = settings.tenants["sandbox"]
    tenants = {f"tenant-{n}": tenant for n in range(count)}
    return build_application(settings=settings.model_copy(update={"tenants": tenants}))


def _sessions_per_worker() -> int | None:
    queue = DBOS.retrieve_queue(names.SESSIONS)
    assert queue is not None
    return queue.worker_concurrency


def _tick_started_after(moment: datetime) -> None:
    """Returns once a tick that started after ``moment`` has ended."""

    def ended() -> bool:
        ticks = DBOS.list_workflows(
            name=names.TICK_WORKFLOW, status="SUCCESS", start_time=moment.isoformat(), load_output=False
        )
        return len(ticks) > 0

    _until(ended, f"a tick started after {moment}")


def test_each_worker_runs_an_even_share_of_the_tenants_sessions_kept_as_workers_and_tenants_change(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    application = _with_tenants(_application(sandbox, tmp_path, tick_seconds=1), 5)
    engine = Engine(application)
    engine.start()
    try:
        assert _sessions_per_worker() == 5  # 5 tenants, this worker the only one alive
        SqlWorkerHeartbeats(application.ledger_engine()).join("w2", application.clock().now())
        _tick_started_after(datetime.now(UTC))
        assert _sessions_per_worker() == 3  # 5 tenants, 2 workers alive
        application.manage_tenants().pause("tenant-0").unwrap()
        application.manage_tenants().pause("tenant-1").unwrap()
        # the worker sees a change of the tenants table within its recheck (2 s), then at its next tick
        _until(lambda: _sessions_per_worker() == 2 or None, "2 sessions a worker: 3 tenants served, 2 workers")
    finally:
        engine.stop(timeout=10)
        close_clients()
        application.tenants().close()
