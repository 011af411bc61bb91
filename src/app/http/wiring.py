"""The API's composition for ``wlc serve``: one container per configured account (tenant), and the key store
and outbox on the ledger's database."""

from __future__ import annotations

from typing import Any

from adapters.storage import create_engine_for
from adapters.storage.api_keys import SqlApiKeyStore
from adapters.storage.completion_outbox import SqlCompletionOutbox
from adapters.system_clock import SystemClock
from app.container import build_container
from app.http.services import Accounts, AccountServices, HttpDependencies
from app.settings import Settings


def services_from_container(name: str, container: Any) -> AccountServices:
    """An account's services from its ``app.container.Container`` (its providers are untyped)."""
    return AccountServices(
        name=name,
        upsert_content=container.upsert_content,
        push_completion=container.push_completion,
        get_completion=container.get_completion,
        delete_completion=container.delete_completion,
        list_categories=container.list_categories,
        plan_membership=container.plan_membership,
        sync_membership=container.sync_membership,
        sync_transcripts=container.sync_transcripts,
        sync_ledger=container.sync_ledger,
        close=container.shutdown_resources,
    )


def build_dependencies(settings: Settings) -> HttpDependencies:
    engine = create_engine_for(settings.ledger_url)

    def account(name: str) -> AccountServices:
        return services_from_container(name, build_container(settings=settings, tenant=name))

    return HttpDependencies(
        accounts=Accounts(settings.tenants, account),
        keys=SqlApiKeyStore(engine),
        outbox=SqlCompletionOutbox(engine),
        clock=SystemClock(),
    )
