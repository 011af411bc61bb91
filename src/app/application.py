"""The one composition root: the application container holds what every tenant shares (the settings, the clock,
the ledger's engine and stores, the completion outbox, the API keys, the secret keys, the tenants table, the request
budgets' store and this process's priority on them) and one ``TenantContainer`` per tenant, each built on first use
from the tenants table (``app.tenants.registry``), and built again when the tenant changes. The CLI, the HTTP API,
the workers and the tests all build it here; tests
override its providers (a tenant's adapters with fakes) rather than wiring a second world.

Storage adapters are imported inside the factories, on first use, as the tenant container's are."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from dependency_injector import containers, providers

from adapters.budget.rule import Priority
from app.container import TenantContainer
from app.settings import Settings, load_settings
from app.tenants.registry import RECHECK_SECONDS, Tenants

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from adapters.budget.store import BudgetStore
    from adapters.storage import SqlDeliveryLedger, SqlSyncLedger
    from adapters.storage.api_keys import SqlApiKeyStore
    from adapters.storage.completion_outbox import SqlCompletionOutbox
    from adapters.storage.incident_log import SqlIncidentLog
    from adapters.storage.outbox_health import SqlOutboxHealth
    from adapters.storage.server_secrets import SqlServerSecrets
    from adapters.storage.tenants import SqlTenantStore
    from adapters.storage.token_health import SqlTokenHealthRecord
    from adapters.system_clock import SystemClock
    from app.alert_routing import AlertRouting
    from app.tenants.directory import TenantDirectory
    from app.tenants.secrets import SecretBox
    from app.use_cases.alerts import EvaluateAlerts
    from app.use_cases.status import StatusOfTenants
    from app.use_cases.tenants import ManageTenants
    from domain.alerts import AlertPolicy
    from domain.ports.alert_channel import AlertChannel
    from domain.ports.clock import Clock
    from domain.ports.incident_log import IncidentLog
    from domain.ports.outbox_health import OutboxHealth
    from domain.ports.sync_ledger import SyncLedger
    from domain.ports.tenant_store import TenantStore
    from domain.ports.token_health import TokenHealthRecord
    from domain.tenant_status import TenantProfile


def _clock() -> SystemClock:
    from adapters.system_clock import SystemClock

    return SystemClock()


def _engine(url: str, idle_in_transaction: float) -> Engine:
    from adapters.storage import create_engine_for

    return create_engine_for(url, idle_in_transaction=idle_in_transaction)


def _sync_ledger(engine: Engine) -> SqlSyncLedger:
    from adapters.storage import SqlSyncLedger

    return SqlSyncLedger(engine)


def _observed_sync_ledger(ledger: SyncLedger) -> SyncLedger:
    from app.observability.runs import ObservedSyncLedger

    return ObservedSyncLedger(ledger)


def _delivery_ledger(engine: Engine) -> SqlDeliveryLedger:
    from adapters.storage import SqlDeliveryLedger

    return SqlDeliveryLedger(engine)


def _completion_outbox(engine: Engine) -> SqlCompletionOutbox:
    from adapters.storage.completion_outbox import SqlCompletionOutbox

    return SqlCompletionOutbox(engine)


def _api_keys(engine: Engine) -> SqlApiKeyStore:
    from adapters.storage.api_keys import SqlApiKeyStore

    return SqlApiKeyStore(engine)


def _budget_store(settings: Settings) -> BudgetStore:
    from adapters.budget.stores import open_budget_store

    return open_budget_store(settings.budget_url, settings.ledger_url, settings.runtime.idle_in_transaction_seconds)


def _secret_box(settings: Settings, engine: Engine, store: TenantStore) -> SecretBox:
    from adapters.storage.refresh_tokens import holds_sealed_tokens
    from app.tenants.secrets import SecretBox, key_finder

    # Only reads, on the store already made: the keys are first needed inside a ledger write (a rotation), where
    # a new store's schema check would wait on that write's own lock.
    def holds_sealed() -> bool:
        return any(record.secrets for record in store.records()) or holds_sealed_tokens(engine)

    return SecretBox(key_finder(settings, holds_sealed))


def _tenant_store(engine: Engine) -> SqlTenantStore:
    from adapters.storage.tenants import SqlTenantStore

    return SqlTenantStore(engine)


def _tenant_directory(store: TenantStore, box: SecretBox, clock: Clock) -> TenantDirectory:
    from app.tenants.directory import TenantDirectory

    return TenantDirectory(store, box, clock)


def _manage_tenants(settings: Settings, directory: TenantDirectory, store: SqlTenantStore) -> ManageTenants:
    from app.use_cases.tenants import ManageTenants

    return ManageTenants(directory, settings.tenants, store.rows_naming)


def _tenants(
    settings: Settings,
    directory: TenantDirectory,
    make: Callable[..., TenantContainer],
    recheck: float,
    engine: Engine,
    box: SecretBox,
) -> Tenants:
    """The registry, once the configuration file's tenants are imported into the table and any refresh token an
    earlier version kept in the clear is sealed."""
    from adapters.storage.refresh_tokens import seal_plain_tokens

    directory.import_file(settings.tenants)
    seal_plain_tokens(engine, box)
    return Tenants(directory, lambda name, tenant: make(tenant_name=name, tenant=tenant), recheck=recheck)


def _token_health(engine: Engine) -> SqlTokenHealthRecord:
    from adapters.storage.token_health import SqlTokenHealthRecord

    return SqlTokenHealthRecord(engine)


def _outbox_health(engine: Engine) -> SqlOutboxHealth:
    from adapters.storage.outbox_health import SqlOutboxHealth

    return SqlOutboxHealth(engine)


def _server_secrets(engine: Engine) -> SqlServerSecrets:
    from adapters.storage.server_secrets import SqlServerSecrets

    return SqlServerSecrets(engine)


def _incident_log(engine: Engine) -> SqlIncidentLog:
    from adapters.storage.incident_log import SqlIncidentLog

    return SqlIncidentLog(engine)


def _roster(tenants: Tenants) -> Callable[[], list[TenantProfile]]:
    """Each tenant's zone, schedules and pause, as the status and the alerts read them: the one place they learn
    which tenants there are (the tenants table, as it now stands). A tenant whose settings cannot be read now is
    left out here; ``wlc tenants list`` names it."""
    from app.errors import ConfigurationError
    from domain.tenant_status import TenantProfile

    def profiles() -> list[TenantProfile]:
        found: list[TenantProfile] = []
        for name in sorted(tenants.names):
            try:
                tenant = tenants.settings(name)
            except (KeyError, ConfigurationError):
                continue
            found.append(TenantProfile(name, tenant.zone, tenant.schedules.schedule(), tenant.paused))
        return found

    return profiles


def _status(
    roster: Callable[[], list[TenantProfile]],
    ledger: SyncLedger,
    outbox: OutboxHealth,
    tokens: TokenHealthRecord,
    clock: Clock,
) -> StatusOfTenants:
    from app.use_cases.status import StatusOfTenants

    return StatusOfTenants(roster, ledger, outbox, tokens, clock)


def _alert_routing(settings: Settings, tenants: Tenants) -> AlertRouting:
    from app.alert_routing import AlertRouting
    from app.errors import ConfigurationError
    from app.settings import AlertSettings

    def own(name: str) -> AlertSettings | None:
        try:
            return tenants.settings(name).alerts
        except (KeyError, ConfigurationError):
            return None

    return AlertRouting(lambda: settings.alerts, own)


def _evaluate_alerts(
    status: StatusOfTenants,
    log: IncidentLog,
    policy_for: Callable[[str], AlertPolicy],
    channels_for: Callable[[str], list[AlertChannel]],
    clock: Clock,
) -> EvaluateAlerts:
    from app.use_cases.alerts import EvaluateAlerts

    return EvaluateAlerts(status, log, policy_for, channels_for, clock)


class Application(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(_clock)
    ledger_engine = providers.Singleton(
        _engine, settings.provided.ledger_url, settings.provided.runtime.idle_in_transaction_seconds
    )
    sync_ledger = providers.Singleton(_sync_ledger, ledger_engine)
    observed_sync_ledger = providers.Singleton(_observed_sync_ledger, sync_ledger)
    """The ledger the tenants' runs are recorded in: each start and end also logged, counted and traced."""
    delivery_ledger = providers.Singleton(_delivery_ledger, ledger_engine)
    completion_outbox = providers.Singleton(_completion_outbox, ledger_engine)
    api_keys = providers.Singleton(_api_keys, ledger_engine)
    tenant_store = providers.Singleton(_tenant_store, ledger_engine)
    secrets = providers.Singleton(_secret_box, settings, ledger_engine, tenant_store)
    tenant_directory = providers.Singleton(_tenant_directory, tenant_store, secrets, clock)
    manage_tenants = providers.Factory(_manage_tenants, settings, tenant_directory, tenant_store)
    tenants_recheck_seconds = providers.Object(RECHECK_SECONDS)
    """How often the registry looks for tenants changed by another process (tests set 0: at every use)."""
    budget_store = providers.Singleton(_budget_store, settings)
    """Every tenant's request budget, shared with every other process on the same store."""
    role = providers.Object(Priority.INTERACTIVE)
    """This process's priority on the budgets: interactive for the API and the CLI; a worker overrides it with
    ``Priority.BACKGROUND``."""
    token_health = providers.Singleton(_token_health, ledger_engine)

    tenant = providers.Factory(
        TenantContainer,
        settings=settings,
        clock=clock,
        ledger_engine=ledger_engine,
        sync_ledger=observed_sync_ledger,
        delivery_ledger=delivery_ledger,
        completion_outbox=completion_outbox,
        secrets=secrets,
        budget_store=budget_store,
        role=role,
        token_health=token_health,
    )
    """A tenant's container: call with ``tenant_name=`` and ``tenant=`` (its settings)."""
    tenants = providers.Singleton(
        _tenants, settings, tenant_directory, tenant.provider, tenants_recheck_seconds, ledger_engine, secrets
    )
    """The tenants of the ledger's table (the configuration file's imported first), followed as they change."""

    # Operations: every tenant's status (wlc status, the console), read in one query per source.
    outbox_health = providers.Singleton(_outbox_health, ledger_engine)
    tenant_roster = providers.Singleton(_roster, tenants)
    tenant_status = providers.Factory(_status, tenant_roster, sync_ledger, outbox_health, token_health, clock)
    server_secrets = providers.Singleton(_server_secrets, ledger_engine)
    """Secrets the server makes for itself, sealed: the console's session key."""

    # Alerts: an incident per condition the status shows, one alert and one recovery notice each, kept in the ledger.
    incident_log = providers.Singleton(_incident_log, ledger_engine)
    alert_routing = providers.Singleton(_alert_routing, settings, tenants)
    evaluate_alerts = providers.Factory(
        _evaluate_alerts,
        tenant_status,
        incident_log,
        alert_routing.provided.policy_for,
        alert_routing.provided.channels_for,
        clock,
    )


def build_application(config_file: Path | None = None, settings: Settings | None = None) -> Application:
    """The application from ``settings`` or, failing that, the configuration file and environment."""
    return Application(settings=settings or load_settings(config_file))


__all__ = ["Application", "Tenants", "build_application"]
