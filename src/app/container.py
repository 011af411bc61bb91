"""The one container: settings to adapters (singletons) to use cases (factories)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
from dependency_injector import containers, providers

from adapters.lumiq import LumiqMemberRegistry
from adapters.storage import SqlSyncLedger, create_engine_for
from adapters.system_clock import SystemClock
from adapters.workday.oauth import ClientAuthStyle, RefreshTokenProvider, WorkdayBearerAuth, isu_basic_auth
from adapters.workday.raas import RaasWorkerDirectory
from adapters.workday.raas_url import ReportFormat
from app.errors import ConfigurationError
from app.settings import Settings, TenantSettings, load_settings
from app.use_cases.membership import PlanMembership, SyncMembership
from domain.removal_guard import RemovalPolicy

_PROVIDER_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def _http_client(base_url: str = "", timeout: httpx.Timeout = _PROVIDER_TIMEOUT) -> Iterator[httpx.Client]:
    client = httpx.Client(base_url=base_url, timeout=timeout, follow_redirects=False)
    try:
        yield client
    finally:
        client.close()


def _raas_auth(tenant: TenantSettings, tokens: providers.Provider[RefreshTokenProvider]) -> httpx.Auth:
    if tenant.raas.auth == "isu":
        if tenant.isu is None:
            raise ConfigurationError("raas.auth is 'isu' but the tenant has no [isu] username and password")
        return isu_basic_auth(tenant.isu.username, tenant.isu.password)
    return WorkdayBearerAuth(tokens())


def _token_provider(client: httpx.Client, tenant: TenantSettings) -> RefreshTokenProvider:
    if tenant.oauth is None:
        raise ConfigurationError("the tenant has no [oauth] client: set client_id, client_secret and refresh_token")
    return RefreshTokenProvider(
        client,
        tenant.token_url,
        tenant.oauth.client_id,
        tenant.oauth.client_secret,
        tenant.oauth.refresh_token,
        client_auth=ClientAuthStyle(tenant.oauth.client_auth),
    )


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    tenant_name = providers.Dependency(instance_of=str)
    tenant = providers.Dependency(instance_of=TenantSettings)

    clock = providers.Singleton(SystemClock)
    removal_policy = providers.Singleton(
        RemovalPolicy,
        max_removal_share=tenant.provided.guard.max_removal_share,
        min_report_share=tenant.provided.guard.min_report_share,
    )

    workday_http = providers.Resource(_http_client)
    token_provider = providers.Singleton(_token_provider, workday_http, tenant)
    raas_auth = providers.Singleton(_raas_auth, tenant, token_provider.provider)
    worker_directory = providers.Singleton(
        RaasWorkerDirectory,
        workday_http,
        tenant.provided.raas.url,
        auth=raas_auth,
        report_format=providers.Callable(ReportFormat, tenant.provided.raas.format),
        columns=tenant.provided.raas.columns,
    )

    lumiq_http = providers.Resource(_http_client, base_url=tenant.provided.lumiq.base_url)
    member_registry = providers.Singleton(
        LumiqMemberRegistry,
        lumiq_http,
        tenant.provided.lumiq.api_key,
        page_size=tenant.provided.lumiq.page_size,
    )

    ledger_engine = providers.Singleton(create_engine_for, settings.provided.ledger_url)
    sync_ledger = providers.Singleton(SqlSyncLedger, ledger_engine)

    plan_membership = providers.Factory(
        PlanMembership,
        worker_directory,
        member_registry,
        clock,
        tenant.provided.zone,
        removal_policy,
    )
    sync_membership = providers.Factory(
        SyncMembership,
        plan_membership,
        member_registry,
        sync_ledger,
        clock,
        tenant_name,
        concurrency=tenant.provided.apply_concurrency,
    )


def build_container(
    config_file: Path | None = None, tenant: str | None = None, settings: Settings | None = None
) -> Container:
    """A container for one tenant, from ``settings`` or, failing that, the configuration file and environment."""
    chosen = settings or load_settings(config_file)
    name, tenant_settings = chosen.tenant(tenant)
    return Container(settings=chosen, tenant_name=name, tenant=tenant_settings)
