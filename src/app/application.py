"""The one composition root: the application container holds what every tenant shares (the settings, the clock,
the ledger's engine and stores, the completion outbox, the API keys, the request budgets' store and this
process's priority on them) and one ``TenantContainer`` per tenant,
each built on first use. The CLI, the HTTP API, the outbox's delivery and the tests all build it here; tests
override its providers (a tenant's adapters with fakes) rather than wiring a second world.

Storage adapters are imported inside the factories, on first use, as the tenant container's are."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from dependency_injector import containers, providers

from adapters.budget.rule import Priority
from app.container import TenantContainer
from app.settings import Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from adapters.budget.store import BudgetStore
    from adapters.storage import SqlDeliveryLedger, SqlSyncLedger
    from adapters.storage.api_keys import SqlApiKeyStore
    from adapters.storage.completion_outbox import SqlCompletionOutbox
    from adapters.system_clock import SystemClock


def _clock() -> SystemClock:
    from adapters.system_clock import SystemClock

    return SystemClock()


def _engine(url: str) -> Engine:
    from adapters.storage import create_engine_for

    return create_engine_for(url)


def _sync_ledger(engine: Engine) -> SqlSyncLedger:
    from adapters.storage import SqlSyncLedger

    return SqlSyncLedger(engine)


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

    return open_budget_store(settings.budget_url, settings.ledger_url)


class Tenants:
    """The tenants by name, each tenant's container built on first use, once, by ``build``."""

    def __init__(self, names: Iterable[str], build: Callable[[str], TenantContainer]) -> None:
        self._names = frozenset(names)
        self._build = build
        self._built: dict[str, TenantContainer] = {}
        self._lock = threading.Lock()

    def __contains__(self, name: object) -> bool:
        return name in self._names

    @property
    def names(self) -> frozenset[str]:
        return self._names

    def get(self, name: str) -> TenantContainer:
        """The tenant's container; raises ``KeyError`` for a tenant that is not configured."""
        if name not in self._names:
            raise KeyError(name)
        with self._lock:
            if name not in self._built:
                self._built[name] = self._build(name)
            return self._built[name]

    def close(self) -> None:
        """Releases every built tenant's resources (its HTTP and SOAP clients)."""
        with self._lock:
            built, self._built = list(self._built.values()), {}
        for container in built:
            container.shutdown_resources()


def _tenants(settings: Settings, make: Callable[..., TenantContainer]) -> Tenants:
    return Tenants(settings.tenants, lambda name: make(tenant_name=name, tenant=settings.tenants[name]))


class Application(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(_clock)
    ledger_engine = providers.Singleton(_engine, settings.provided.ledger_url)
    sync_ledger = providers.Singleton(_sync_ledger, ledger_engine)
    delivery_ledger = providers.Singleton(_delivery_ledger, ledger_engine)
    completion_outbox = providers.Singleton(_completion_outbox, ledger_engine)
    api_keys = providers.Singleton(_api_keys, ledger_engine)
    budget_store = providers.Singleton(_budget_store, settings)
    """Every tenant's request budget, shared with every other process on the same store."""
    role = providers.Object(Priority.INTERACTIVE)
    """This process's priority on the budgets: interactive for the API and the CLI; a worker overrides it with
    ``Priority.BACKGROUND``."""

    tenant = providers.Factory(
        TenantContainer,
        settings=settings,
        clock=clock,
        ledger_engine=ledger_engine,
        sync_ledger=sync_ledger,
        delivery_ledger=delivery_ledger,
        completion_outbox=completion_outbox,
        budget_store=budget_store,
        role=role,
    )
    """A tenant's container: call with ``tenant_name=`` and ``tenant=`` (its settings)."""
    tenants = providers.Singleton(_tenants, settings, tenant.provider)


def build_application(config_file: Path | None = None, settings: Settings | None = None) -> Application:
    """The application from ``settings`` or, failing that, the configuration file and environment."""
    return Application(settings=settings or load_settings(config_file))
