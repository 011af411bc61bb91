"""Starting and following runs from any process (the API, the CLI, the console), without running the engine:
a run is a row the workers pick up from the engine's system database.

``enqueue_session`` is "run now": while a run of that tenant and kind is queued or running, anywhere, it answers
that run's id instead of starting another (the engine's deduplication, held by the trigger until its session
ends). ``enqueue_due`` starts the scheduled session of one due time, under an id naming it, so that the tick and
a backfill that reach the same due time run it once."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from dbos import DBOSClient, EnqueueOptions
from sqlalchemy.engine import make_url

from app.application import Application
from app.errors import ConfigurationError
from app.runtime import names
from app.runtime.sessions import SessionRequest
from app.settings import Settings
from domain.schedules import SyncKind

_clients: dict[str, DBOSClient] = {}
_clients_lock = threading.Lock()


def system_database_url(settings: Settings) -> str:
    """The engine's system database: the setting's, or a file beside a SQLite ledger, or the PostgreSQL
    ledger's own database."""
    if settings.runtime.system_database_url:
        return settings.runtime.system_database_url
    parsed = make_url(settings.ledger_url)
    if parsed.get_backend_name() != "sqlite":
        return parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise ConfigurationError(
            "a ledger in memory has no place for the runtime's state: set runtime.system_database_url"
        )
    path = Path(database)
    return f"sqlite:///{path.with_name(f'{path.stem}-runtime{path.suffix}')}"


def _client(settings: Settings) -> DBOSClient:
    url = system_database_url(settings)
    with _clients_lock:
        if url not in _clients:
            _migrate(url)
            _clients[url] = DBOSClient(system_database_url=url, application_name=names.APPLICATION)
        return _clients[url]


def _migrate(url: str) -> None:
    """The engine's tables, made (or brought up to date) by the first process that needs them."""
    from dbos import run_dbos_database_migrations

    run_dbos_database_migrations(url)


def close_clients() -> None:
    with _clients_lock:
        for client in _clients.values():
            client.destroy()
        _clients.clear()


def _options(workflow: str, queue: str, run_id: str) -> EnqueueOptions:
    return {"workflow_name": workflow, "queue_name": queue, "workflow_id": run_id, "app_version": names.VERSION}


def enqueue_session(
    application: Application, tenant: str, kind: SyncKind, request: SessionRequest | None = None
) -> str:
    """Runs ``kind`` for ``tenant`` now (after what the tenant's partition already holds): the new run's id, or
    the id of the run of that tenant and kind already queued or running. Raises ``ConfigurationError`` for a
    tenant that is not configured."""
    if tenant not in application.tenants():
        raise ConfigurationError(f"tenant {tenant!r} is not configured")
    asked = request or SessionRequest(kind)
    if asked.kind is not kind:
        raise ConfigurationError(f"a {asked.kind.value} request cannot start a {kind.value} run")
    options = _options(names.TRIGGER_WORKFLOW, names.TRIGGERS, names.RunName.by_hand(tenant, kind).id)
    options["deduplication_id"] = names.dedup_key(tenant, kind)
    options["duplication_policy"] = "return-existing"
    return str(_client(application.settings()).enqueue(options, tenant, asked.as_data()).get_workflow_id())


def enqueue_due(application: Application, tenant: str, kind: SyncKind, due: Iterable[datetime]) -> list[str]:
    """Starts the scheduled session of each due time (those already started are not started again): their ids."""
    client = _client(application.settings())
    started = []
    for at in due:
        options = _options(names.SESSION_WORKFLOW, names.SESSIONS, names.RunName.scheduled(tenant, kind, at).id)
        options["queue_partition_key"] = tenant
        started.append(client.enqueue(options, tenant, SessionRequest(kind).as_data()).get_workflow_id())
    return started


def enqueue_sessions(application: Application, sessions: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
    """Enqueues each (run id, tenant, request) as a session in its tenant's partition; an id already enqueued is
    not enqueued again."""
    client = _client(application.settings())
    for run_id, tenant, request in sessions:
        options = _options(names.SESSION_WORKFLOW, names.SESSIONS, run_id)
        options["queue_partition_key"] = tenant
        client.enqueue(options, tenant, request)


def active_runs(application: Application) -> list[names.RunName]:
    """The sessions queued or running, of every tenant (one query)."""
    found = _client(application.settings()).list_workflows(
        status=["ENQUEUED", "PENDING"], name=names.SESSION_WORKFLOW, load_input=False, load_output=False
    )
    return [name for each in found if (name := names.RunName.parse(each.workflow_id)) is not None]


class RunState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"


_STATES = {
    "ENQUEUED": RunState.QUEUED,
    "DELAYED": RunState.QUEUED,
    "PENDING": RunState.RUNNING,
    "SUCCESS": RunState.FINISHED,
    "ERROR": RunState.FAILED,
    "MAX_RECOVERY_ATTEMPTS_EXCEEDED": RunState.FAILED,
    "CANCELLED": RunState.CANCELLED,
}


@dataclass(frozen=True, slots=True)
class RunStatus:
    id: str
    tenant: str
    kind: SyncKind
    state: RunState
    result: dict[str, Any] | None = None
    """The session's result once finished: ``run`` (the ledger's run id, when one was recorded), ``outcome``,
    ``counts``, ``message``."""
    error: str | None = None


def run_status(application: Application, run_id: str) -> RunStatus | None:
    """Where the run stands; None for an id the runtime does not know."""
    name = names.RunName.parse(run_id)
    if name is None:
        return None
    client = _client(application.settings())
    found = client.list_workflows(workflow_ids=[run_id, run_id + names.SESSION_SUFFIX])
    by_id = {each.workflow_id: each for each in found}
    status = by_id.get(run_id)
    if status is None:
        return None
    state = _STATES.get(status.status, RunState.RUNNING)
    if status.name == names.TRIGGER_WORKFLOW and state is RunState.RUNNING:
        # A run started by hand ends with its trigger, which holds its place (the deduplication) until then;
        # meanwhile it is queued until its session, in the tenant's partition, starts.
        session = by_id.get(run_id + names.SESSION_SUFFIX)
        state = RunState.QUEUED if session is None or session.status == "ENQUEUED" else RunState.RUNNING
    result = status.output if state is RunState.FINISHED and isinstance(status.output, dict) else None
    error = None if status.error is None else str(status.error)
    return RunStatus(run_id, name.tenant, name.kind, state, result, error)


class Runs:
    """The runs of one application, as the API starts and follows them."""

    def __init__(self, application: Application) -> None:
        self._application = application

    def start(self, tenant: str, request: SessionRequest) -> str:
        """``enqueue_session``: the run's id, or that of the run of this tenant and kind already queued or running."""
        return enqueue_session(self._application, tenant, request.kind, request)

    def status(self, run_id: str) -> RunStatus | None:
        return run_status(self._application, run_id)
