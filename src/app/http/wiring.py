"""The API's composition for ``wlc serve``: one container per configured account (tenant), and the key store
and outbox on the ledger's database."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

from adapters.storage import create_engine_for
from adapters.storage.api_keys import SqlApiKeyStore
from adapters.storage.completion_outbox import SqlCompletionOutbox
from adapters.system_clock import SystemClock
from app.container import build_container
from app.http.services import Accounts, AccountServices, HttpDependencies
from app.settings import Settings


def services_from_container(name: str, container: Any) -> AccountServices:
    """An account's services from its ``app.container.Container`` (its providers are untyped). Use cases are
    built under the account's lock: the API's threads (requests, outbox deliveries) would otherwise race to make
    the container's resources, and a resource made twice is closed when the loser is collected, under the feet
    of whoever holds it. Nothing is made before a use case is asked for, so checking a caller's key or accepting
    a completion never waits on Workday."""
    warm = _Warm(container)
    return AccountServices(
        name=name,
        upsert_content=warm.then(container.upsert_content),
        push_completion=warm.then(container.push_completion),
        deliver_completion=warm.then(container.deliver_completion),
        get_completion=warm.then(container.get_completion),
        delete_completion=warm.then(container.delete_completion),
        list_categories=warm.then(container.list_categories),
        list_skills=warm.then(container.list_skills),
        list_content=warm.then(container.list_content),
        show_content=warm.then(container.show_content),
        list_enrollments=warm.then(container.list_enrollments),
        plan_membership=warm.then(container.plan_membership),
        sync_membership=warm.then(container.sync_membership),
        sync_transcripts=warm.then(container.sync_transcripts),
        sync_ledger=warm.then(container.sync_ledger),
        reconcile=warm.then(container.reconcile),
        close=container.shutdown_resources,
    )


class _Warm:
    """Builds an account's use cases one at a time: the first build of each resource and adapter happens under
    the lock, once, and a use case that cannot be built fails alone."""

    def __init__(self, container: Any) -> None:
        self._container = container
        self._lock = threading.Lock()

    def then(self, provider: Callable[[], Any]) -> Callable[[], Any]:
        first = True

        def built() -> Any:
            nonlocal first
            with self._lock:
                use_case = provider()
                if first:
                    # What the first build made (a WSDL's schema, clients) lives as long as the process: out of the
                    # collector's sight, as ``create_app`` does with what start-up made.
                    gc.freeze()
                    first = False
                return use_case

        return built


def build_dependencies(settings: Settings) -> HttpDependencies:
    engine = create_engine_for(settings.ledger_url)

    def account(name: str) -> AccountServices:
        return services_from_container(name, build_container(settings=settings, tenant=name))

    return HttpDependencies(
        accounts=Accounts(settings.tenants, account),
        keys=SqlApiKeyStore(engine),
        outbox=SqlCompletionOutbox(engine),
        clock=SystemClock(),
        api=settings.api,
    )
