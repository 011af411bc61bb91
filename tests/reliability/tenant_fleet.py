"""A fleet of sandbox tenants run by one worker, some of them failing on purpose, and the ticks driven by the test:
the shared part of ``test_tenants_fail_independently`` (short in ``make test``, 500 tenants in ``make soak``).

Every tenant's transcripts are scheduled each minute. The application's clock is real time shifted by the test,
which moves it a minute (or past a rest) between ticks, so a test waits on work, not on the wall clock; the lag
measured is real (a session's start, as the ledger records it, minus its due time)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from dbos import DBOS
from dependency_injector import providers
from pydantic import SecretStr

from app.application import Application, build_application
from app.runtime import names
from app.runtime.client import RunState, close_clients, run_status
from app.runtime.engine import Engine, tick
from app.sandbox_settings import sandbox_tenant
from app.settings import AlertSettings, RuntimeSettings, Settings, TenantSettings
from domain.runs import Run, RunKind, RunOutcome
from domain.schedules import SyncKind
from sandbox.config import SandboxConfig
from sandbox.faults import Faults
from sandbox.lumiq.completions import CompletionMember
from sandbox.lumiq.episodes import EPISODES
from sandbox.population import worker_at
from sandbox.server import SandboxServer
from tests.alert_receivers import WebhookReceiver
from tests.waiting import until

T = TypeVar("T")
INTERVAL = timedelta(minutes=1)
REST = timedelta(seconds=90)
"""A failing tenant's first rest: longer than one interval, so the next tick leaves it out."""
WRONG_TOKEN = "a-refresh-token-workday-revoked"
VARIANT = "required-names-missing"


@dataclass(frozen=True, slots=True)
class Fleet:
    """The tenants by what their Workday does: 10% answer 503, 5% refuse the refresh token, one serves a WSDL
    that lacks names the connector needs, the rest are healthy."""

    healthy: tuple[str, ...]
    unavailable: tuple[str, ...]
    refusing: tuple[str, ...]
    odd_wsdl: tuple[str, ...]

    @staticmethod
    def of(size: int) -> Fleet:
        names_ = [f"t{n:03d}" for n in range(size)]
        down, refusing = size // 10, size // 20
        return Fleet(
            tuple(names_[down + refusing + 1 :]),
            tuple(names_[:down]),
            tuple(names_[down : down + refusing]),
            tuple(names_[down + refusing : down + refusing + 1]),
        )

    @property
    def failing(self) -> tuple[str, ...]:
        return self.unavailable + self.refusing + self.odd_wsdl

    @property
    def every(self) -> tuple[str, ...]:
        return self.healthy + self.failing


class ShiftedClock:
    """Real time moved on by ``advance``."""

    def __init__(self) -> None:
        self.shift = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.shift

    def advance(self, by: timedelta) -> None:
        self.shift += by


@dataclass
class World:
    fleet: Fleet
    application: Application
    clock: ShiftedClock
    healthy: SandboxServer
    unavailable: SandboxServer
    odd: SandboxServer
    hooks: WebhookReceiver
    due: list[datetime] = field(default_factory=list)

    def tick(self) -> datetime:
        """Runs the tick at the start of the application's current minute (the clock moved back there, so a
        session's lag is measured from its due time whenever in the real minute the test ticks; a phase between
        two ticks takes less than the minute the test then advances) and returns the due time it covers."""
        now = self.clock.now()
        self.clock.advance(now.replace(second=0, microsecond=0) - now)
        at = self.clock.now()
        tick(at, None)
        due = at.replace(second=0, microsecond=0)
        self.due.append(due)
        return due

    def started(self, due: datetime) -> set[str]:
        """The tenants whose session due at ``due`` the tick started."""
        return {
            tenant
            for tenant in self.fleet.every
            if run_status(self.application, names.RunName.scheduled(tenant, SyncKind.TRANSCRIPTS, due).id) is not None
        }

    def sessions_end(self, due: datetime, tenants: set[str], deadline: float) -> None:
        pending = set(tenants)

        def ended() -> bool:
            for tenant in list(pending):
                status = run_status(self.application, names.RunName.scheduled(tenant, SyncKind.TRANSCRIPTS, due).id)
                if status is not None and status.state not in (RunState.QUEUED, RunState.RUNNING):
                    pending.discard(tenant)
            return not pending

        until(ended, f"the sessions due at {due} end ({len(pending)} left)", deadline)

    def latest(self, outcome: RunOutcome) -> dict[str, Run]:
        runs = self.application.sync_ledger().latest_runs(self.fleet.every)
        return {run.tenant: run for run in runs if run.kind is RunKind.TRANSCRIPTS and run.outcome is outcome}

    def notices(self, event: str) -> dict[str, list[str]]:
        """The incident keys each tenant's notices of ``event`` (``opened`` or ``recovered``) named."""
        found: dict[str, list[str]] = {}
        for body in self.hooks.received:
            if body["event"] == event:
                incident = body["incident"]
                found.setdefault(incident["tenant"], []).append(incident["key"])
        return found

    def fix(self) -> None:
        """Workday answers again, each refused tenant is given a token Workday grants, and the tenant with the odd
        WSDL is moved to a tenant with the sourced one."""
        self.unavailable.faults.error_rate = 0.0
        manage = self.application.manage_tenants()
        for tenant in self.fleet.refusing:
            manage.change(tenant, {"oauth": {"refresh_token": self.healthy.config.refresh_token}}).unwrap()
        for tenant in self.fleet.odd_wsdl:
            manage.change(tenant, tenant_data(sandbox_tenant(self.healthy.base_url, self.healthy.config))).unwrap()
        self.application.tenants().refresh()  # as the registry's next recheck would


def tenant_data(tenant: TenantSettings, refresh_token: str | None = None) -> dict[str, Any]:
    """A tenant's settings as ``wlc tenants add`` takes them, secrets and all, scheduled every minute."""
    data: dict[str, Any] = _plain(tenant.model_dump(exclude_unset=True))
    data["schedules"] = {"membership_daily_at": "off", "transcripts_every_minutes": 1, "reconcile_weekly": "off"}
    if refresh_token is not None:
        data["oauth"]["refresh_token"] = refresh_token
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, dict):
        return {key: _plain(each) for key, each in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(each) for each in value]
    return value


@contextmanager
def _sandbox(**config: Any) -> Iterator[SandboxServer]:
    """A sandbox whose provider's feed holds one passed completion of a worker Workday knows."""
    with SandboxServer(SandboxConfig(workers=20, completions=0, soap_rate_limit=None, **config)) as server:
        learner = next(m for i in range(20) if (m := worker_at(server.config, i).initial_member()) is not None)
        server.completions.add(CompletionMember.of(learner), EPISODES[0])
        yield server


@contextmanager
def fleet_world(size: int, scratch: Path, ledger_url: str | None = None, executor_id: str = "w1") -> Iterator[World]:
    fleet = Fleet.of(size)
    with ExitStack() as stack:
        healthy = stack.enter_context(_sandbox())
        down = Faults(error_rate=1.0, error_statuses=(503,), only="workday")
        unavailable = stack.enter_context(_sandbox(faults=down))
        odd = stack.enter_context(_sandbox(wsdl_variant=VARIANT))
        hooks = stack.enter_context(WebhookReceiver())
        runtime = RuntimeSettings.model_validate(
            {
                "tick_seconds": 60,
                "alerts_seconds": 60,
                "rest_first_seconds": REST.total_seconds(),
                "queue_polling_seconds": 0.05,
                "scheduler_polling_seconds": 0.2,
                "executor_id": executor_id,
            }
        )
        settings = Settings(
            ledger_url=ledger_url or f"sqlite:///{scratch / 'ledger.sqlite3'}",
            secret_key_file=None,
            alerts=AlertSettings(webhook_url=SecretStr(hooks.url), outbox_older_than_minutes=None),
            runtime=runtime,
        )
        application = build_application(settings=settings)
        clock = ShiftedClock()
        application.clock.override(providers.Object(clock))
        manage = application.manage_tenants()
        for tenant in fleet.every:
            server = unavailable if tenant in fleet.unavailable else odd if tenant in fleet.odd_wsdl else healthy
            token = WRONG_TOKEN if tenant in fleet.refusing else None
            manage.add(tenant, tenant_data(sandbox_tenant(server.base_url, server.config), token)).unwrap()
        engine = Engine(application)
        engine.start()
        DBOS.delete_schedule(names.TICK_SCHEDULE)  # the test drives the ticks
        try:
            yield World(fleet, application, clock, healthy, unavailable, odd, hooks)
        finally:
            engine.stop(timeout=10)
            close_clients()
            application.tenants().close()
