"""The engine: DBOS Transact, set up for the connector. Only a worker process imports this module (it registers
the workflows); the API and the CLI start runs through ``app.runtime.client`` without running any.

- The engine's state is its system database: a SQLite file beside a SQLite ledger, or the PostgreSQL ledger's
  database (schema ``dbos``). Each worker has a stable executor id, and every worker the same application version
  (``names.VERSION``), so a worker started again resumes the runs it had begun.
- ``names.SESSIONS`` is partitioned by tenant with a partition concurrency of 1: a tenant runs at most one
  session at a time across every worker, whatever started it.
- The tick (``names.TICK_WORKFLOW``) is an engine schedule: the engine starts each of its times once across every
  worker, in ``names.TICKS``, one at a time (two ticks at once each found a tenant's delivery session not yet
  queued, and each queued one; late ticks, run together, queued hundreds). It enqueues each tenant session due in
  its window and the delivery session of each tenant with due outbox entries, leaves out the sessions of a tenant
  resting after a failure (``domain.tenant_rest``), reports each session's schedule lag, and on every
  ``alerts_seconds`` evaluates every tenant's alerts.
- Each session runs in a span (``session_span``) and with its tenant and run on every log record (``bound``).
- On SQLite exactly one process may run the engine (two on one file may run a run twice): ``SingleRunner``.
- A worker that dies or is cut off is taken over by another after ``runtime.worker_timeout_seconds``
  (``app.runtime.liveness``)."""

from __future__ import annotations

import fcntl
import logging
import os
import socket
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from dbos import DBOS, DBOSConfig, SetEnqueueOptions, SetWorkflowID
from dbos import _workflow_commands as workflow_commands
from dbos._error import DBOSException
from sqlalchemy.engine import make_url

from adapters.budget.rule import Priority
from adapters.storage.errors import LedgerStorageError
from adapters.storage.worker_heartbeats import SqlWorkerHeartbeats
from app.application import Application
from app.errors import ConfigurationError
from app.observability.logs import bound
from app.observability.metrics import observe_schedule_lag
from app.observability.tracing import session_span
from app.runtime import names
from app.runtime.client import active_runs, enqueue_sessions, system_database_url
from app.runtime.due import DueSession, due_sessions
from app.runtime.liveness import Liveness
from app.runtime.sessions import ALWAYS, SessionRequest, run_session
from app.runtime.share import sessions_per_worker
from app.settings import RuntimeSettings
from domain.runs import RunKind
from domain.schedules import SyncKind
from domain.tenant_rest import RestPolicy, resting
from domain.tenant_status import TenantProfile

log = logging.getLogger(__name__)

_running: dict[str, tuple[Application, RuntimeSettings]] = {}
_liveness: dict[str, Liveness] = {}
"""The application whose sessions the engine of this process runs, and the engine's settings (the workflows are
module functions)."""


def _started() -> tuple[Application, RuntimeSettings]:
    if "engine" not in _running:
        raise ConfigurationError("the runtime's engine is not started in this process (wlc worker starts it)")
    return _running["engine"]


def _application() -> Application:
    return _started()[0]


@DBOS.workflow(name=names.SESSION_WORKFLOW)
def tenant_session(tenant: str, request: dict[str, Any]) -> dict[str, Any]:
    return _session(tenant, request)


@DBOS.step(name="wlc.session.run")
def _session(tenant: str, request: dict[str, Any]) -> dict[str, Any]:
    asked = SessionRequest.from_data(request)
    liveness = _liveness.get("engine")
    held = liveness.held() if liveness is not None else ALWAYS
    with session_span(tenant, asked.kind.value), bound(tenant=tenant, run=DBOS.workflow_id):
        return run_session(_application(), tenant, asked, held, DBOS.workflow_id)


@DBOS.workflow(name=names.TRIGGER_WORKFLOW)
def triggered_session(tenant: str, request: dict[str, Any]) -> dict[str, Any]:
    """A run started by hand: its session waits in the tenant's partition like any other; this workflow holds the
    deduplication id until the session ends."""
    workflow_id = DBOS.workflow_id
    assert workflow_id is not None
    with SetWorkflowID(workflow_id + names.SESSION_SUFFIX), SetEnqueueOptions(queue_partition_key=tenant):
        handle = DBOS.enqueue_workflow(names.SESSIONS, tenant_session, tenant, request)
    result: dict[str, Any] = handle.get_result()
    return result


@DBOS.workflow(name=names.TICK_WORKFLOW)
def tick(at: datetime, _context: Any) -> None:
    _start_due(at.isoformat())
    if alerts_due(at, _started()[1]):
        _evaluate_alerts()


@DBOS.step(name="wlc.tick.start")
def _start_due(at_text: str) -> int:
    """Enqueues the sessions the tick at ``at_text`` starts (``_due_at``), through the client, each under the id
    that names it: a step run again after a crash enqueues the same ids, which the engine runs once. One write a
    session, where an enqueue from the workflow was also a checkpoint of the workflow's, on the engine's pool
    that the sessions starting meanwhile share: with 200 tenants the first tick took over a minute. How many."""
    application, runtime = _started()
    tenants = application.tenant_roster()()
    due = _due_at(at_text, tenants)
    enqueue_sessions(application, due)
    _keep_share(runtime, tenants)
    return len(due)


def _keep_share(runtime: RuntimeSettings, tenants: list[TenantProfile]) -> None:
    """Where the settings fix no number of sessions per worker, each worker's share kept even as tenants and
    workers come and go (``app.runtime.share``): the engine keeps one number for the sessions' queue, which every
    worker reads again before it looks for sessions. The ledger away, the share stays as it was until a tick finds
    it."""
    liveness = _liveness.get("engine")
    if runtime.sessions_per_worker is not None or liveness is None:
        return
    try:
        alive = liveness.alive()
    except LedgerStorageError as failed:
        log.warning("each worker's share of the sessions is kept as it was: %s", failed)
        return
    share = sessions_per_worker(runtime, tenants, alive)
    queue = DBOS.retrieve_queue(names.SESSIONS)
    if queue is not None and queue.worker_concurrency != share:
        queue.set_worker_concurrency(share)
        served = sum(1 for tenant in tenants if not tenant.paused)
        log.info("each worker now runs at most %d sessions at once: %d tenants, %d workers", share, served, len(alive))


@DBOS.step(name="wlc.tick.alerts")
def _evaluate_alerts() -> None:
    """Every tenant's alerts, evaluated once across every worker (the tick runs once per time)."""
    report = _application().evaluate_alerts()()
    if report.opened or report.cleared or report.failures:
        log.info(
            "alerts: %d opened, %d cleared, %d notices not sent",
            len(report.opened),
            len(report.cleared),
            len(report.failures),
        )


def alerts_due(at: datetime, runtime: RuntimeSettings) -> bool:
    """Whether the tick at ``at`` evaluates the alerts: the ticks on a multiple of ``alerts_seconds``."""
    seconds = int(at.timestamp())
    return seconds % runtime.alerts_seconds < runtime.tick_seconds


def _due_at(at_text: str, profiles: list[TenantProfile]) -> list[tuple[str, str, dict[str, Any]]]:
    """The sessions the tick at ``at_text`` starts among the tenants ``profiles``: those scheduled in
    ``(at - tick, at]``, and a delivery session for each tenant not paused with due outbox entries (found in one
    query) and no delivery session queued or running already."""
    application, runtime = _started()
    at = datetime.fromisoformat(at_text)
    every = timedelta(seconds=runtime.tick_seconds)
    due = _not_resting(application, runtime, due_sessions(profiles, at - every, at), at)
    _report_lag(due, application.clock().now())
    found = [
        (names.RunName.scheduled(each.tenant, each.kind, each.due).id, each.tenant, SessionRequest(each.kind).as_data())
        for each in due
    ]
    running = {name.tenant for name in active_runs(application) if name.kind is SyncKind.DELIVER}
    served = {profile.name for profile in profiles if not profile.paused}
    for tenant in application.completion_outbox().accounts_with_due(at):
        if tenant in served and tenant not in running:
            found.append((names.RunName.scheduled(tenant, SyncKind.DELIVER, at).id, tenant, _DELIVER))
    return found


_DELIVER = SessionRequest(SyncKind.DELIVER).as_data()
SYSTEM_DATABASE_POOL = 8
NOTIFICATION_POLLING_SECONDS = 0.2
"""How often the engine's listener thread wakes (on SQLite), and so how long stopping the engine waits for it;
also how often a run started by hand looks for its session's end. With no workflow waiting the listener reads
nothing, so waking often costs no idle CPU (at 1 s, the engine's default, every stop took a second more)."""
NOTIFICATION_COALESCE_SECONDS = 1.0
"""How often the engine's notifier thread (on PostgreSQL) wakes to send the notifications it gathered. They wake
readers of workflow events, messages and streams, none of which the runtime uses (a run's end is polled), so a
longer wait delays nothing; at the engine's default, 0.01 s, the thread woke 100 times a second."""
BACKGROUND_JOBS_SECONDS = 4.0
"""How often the engine's background jobs run (the start of delayed workflows and the cancelling of timed-out
ones, neither of which the runtime uses): every second by default. Under 5 s, the idle-transaction timeout the
engine sets on the connection that holds the jobs' lock between two runs."""


def _not_resting(
    application: Application, runtime: RuntimeSettings, due: list[DueSession], at: datetime
) -> list[DueSession]:
    """``due`` less the sessions of a kind its tenant rests from (``domain.tenant_rest``); each left out is
    logged once per tick, naming the tenant."""
    if not due:
        return due
    policy = RestPolicy(timedelta(seconds=runtime.rest_first_seconds), timedelta(seconds=runtime.rest_most_seconds))
    rests = resting(application.sync_ledger().latest_runs({each.tenant for each in due}), policy, at)
    kept: list[DueSession] = []
    for each in due:
        until = rests.get((each.tenant, RunKind(each.kind.value))) if each.kind.value in _RUN_KINDS else None
        if until is None:
            kept.append(each)
        else:
            with bound(tenant=each.tenant):
                log.info(
                    "%s's %s session due at %s left out: it rests until %s", each.tenant, each.kind, each.due, until
                )
    return kept


_RUN_KINDS = frozenset(kind.value for kind in RunKind)


def _report_lag(due: list[DueSession], now: datetime) -> None:
    """Schedule lag, for each session the tick starts: the time the tick starts it minus its due time."""
    for each in due:
        observe_schedule_lag(each.tenant, each.kind.value, (now - each.due).total_seconds())


def engine_config(
    application: Application, executor_id: str | None = None, runtime: RuntimeSettings | None = None
) -> DBOSConfig:
    settings = runtime or application.settings().runtime
    return {
        "name": names.APPLICATION,
        "system_database_url": system_database_url(application.settings()),
        "executor_id": executor_id or settings.executor_id or socket.gethostname(),
        "application_version": names.VERSION,
        "scheduler_polling_interval_sec": settings.scheduler_polling_seconds,
        # DBOS's default (20 a worker), beside the ledger's and the budget's pools, takes 3 workers past
        # PostgreSQL's default of 100 connections once each runs a few sessions at once
        "sys_db_pool_size": SYSTEM_DATABASE_POOL,
        # DBOS's default is 60 s: the engine's rows a cut-off worker held would stop its taker's recovery that long
        "sys_db_idle_transaction_timeout_sec": settings.idle_in_transaction_seconds,
        "notification_listener_polling_interval_sec": min(NOTIFICATION_POLLING_SECONDS, settings.queue_polling_seconds),
        "notification_coalesce_sec": NOTIFICATION_COALESCE_SECONDS,
        "log_level": "WARNING",
    }


class SingleRunner:
    """On a SQLite system database, the one process that runs the engine on that file: a lock on a file beside
    it, held while the engine runs and let go by the system when the process ends, however it ends."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self._path = (
            Path(f"{parsed.database}.lock") if parsed.get_backend_name() == "sqlite" and parsed.database else None
        )
        self._held: IO[str] | None = None

    def acquire(self) -> None:
        if self._path is None:
            return
        held = self._path.open("a+")
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            held.seek(0)
            owner = held.read().strip() or "another process"
            held.close()
            raise ConfigurationError(
                f"{owner} already runs the worker on {self._path.with_suffix('')}: on SQLite exactly one worker may "
                "run (two could run a session twice); stop it, or move the ledger to PostgreSQL to run several"
            ) from None
        held.seek(0)
        held.truncate()
        held.write(f"process {os.getpid()} on {socket.gethostname()}")
        held.flush()
        self._held = held

    def release(self) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None


class Engine:
    """The engine of this process, started by ``start`` and stopped by ``stop``; one per process (DBOS's own
    rule). The application becomes a background caller of every tenant's request budget."""

    def __init__(
        self, application: Application, executor_id: str | None = None, runtime: RuntimeSettings | None = None
    ) -> None:
        self._application = application
        self._runtime = runtime or application.settings().runtime
        self._config = engine_config(application, executor_id, self._runtime)
        self._runner = SingleRunner(system_database_url(application.settings()))

    @property
    def executor_id(self) -> str:
        return str(self._config.get("executor_id"))

    def start(self) -> None:
        self._runner.acquire()
        try:
            self._application.role.override(Priority.BACKGROUND)
            _running["engine"] = (self._application, self._runtime)
            settings = self._runtime
            _quieten(DBOS(config=self._config), settings)
            DBOS.launch()
            liveness = Liveness(
                SqlWorkerHeartbeats(self._application.ledger_engine()),
                self._application.clock(),
                self.executor_id,
                _recover,
                settings.heartbeat_seconds,
                settings.worker_timeout_seconds,
            )
            alive = liveness.alive() | {self.executor_id}
            DBOS.register_queue(
                names.SESSIONS,
                partition_concurrency=1,
                worker_concurrency=sessions_per_worker(settings, self._application.tenant_roster()(), alive),
                polling_interval_sec=settings.queue_polling_seconds,
            )
            DBOS.register_queue(names.TRIGGERS, polling_interval_sec=settings.queue_polling_seconds)
            DBOS.register_queue(names.TICKS, global_concurrency=1, polling_interval_sec=_ticks_polling(settings))
            _keep_tick(settings.tick_seconds)
            liveness.start()
            _liveness["engine"] = liveness
        except BaseException:
            self._runner.release()
            _running.clear()
            raise

    def stop(self, timeout: int = 30) -> None:
        """Stops taking runs and waits at most ``timeout`` seconds for those running; one not finished by then is
        resumed when a worker with this executor id starts again."""
        liveness = _liveness.pop("engine", None)
        if liveness is not None:
            liveness.stop()
        try:
            DBOS.destroy(workflow_completion_timeout_sec=timeout)
        finally:
            _running.clear()
            self._runner.release()


def _quieten(engine: DBOS, runtime: RuntimeSettings) -> None:
    """Before launch, fewer wakeups of an idle worker where the engine has no setting for them (DBOS 3.4.0's
    internals, pinned; ``tests/unit/runtime/test_engine.py`` fails if they move): its background jobs every
    ``BACKGROUND_JOBS_SECONDS``, and its internal queue, which holds only runs the runtime never makes (workflows
    started without a queue, resumed or forked by hand), polled as often as the ticks' queue instead of every
    second."""
    workflow_commands._BACKGROUND_JOBS_INTERVAL_SEC = BACKGROUND_JOBS_SECONDS
    engine._registry.get_internal_queue()._polling_interval_sec = _ticks_polling(runtime)


def _ticks_polling(runtime: RuntimeSettings) -> float:
    """A tick comes every ``tick_seconds``: polling the ticks' queue more often only costs an idle worker CPU."""
    return max(runtime.queue_polling_seconds, float(runtime.tick_seconds))


def _recover(executor_id: str) -> int:
    """The taken-over worker's unfinished workflows, back in their queues (``app.runtime.liveness`` says why the
    internal call)."""
    return len(DBOS._recover_pending_workflows([executor_id]))


def tick_cron(seconds: int) -> str:
    """The engine's cron (with a seconds field) for a tick every ``seconds`` (which divide a minute)."""
    return "0 * * * * *" if seconds == 60 else f"*/{seconds} * * * * *"


def _keep_tick(seconds: int) -> None:
    """Creates the tick's schedule, or replaces one with another interval: every worker does so at start, and the
    engine keeps one schedule of that name."""
    cron = tick_cron(seconds)
    current = DBOS.get_schedule(names.TICK_SCHEDULE)
    if current is not None and current["schedule"] == cron and current["queue_name"] == names.TICKS:
        return
    try:
        DBOS.apply_schedules(
            [{"schedule_name": names.TICK_SCHEDULE, "workflow_fn": tick, "schedule": cron, "queue_name": names.TICKS}]
        )
    except DBOSException as refused:  # another worker made it at the same moment
        log.info("the tick's schedule: %s", refused)
