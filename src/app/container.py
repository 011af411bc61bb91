"""The one container: settings to adapters (singletons and resources) to use cases (factories)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
from dependency_injector import containers, providers

from adapters.lumiq import LumiqCompletionSource, LumiqMemberRegistry
from adapters.storage import SqlDeliveryLedger, SqlSyncLedger, create_engine_for
from adapters.system_clock import SystemClock
from adapters.workday import (
    ClientAuthStyle,
    IsuCredentials,
    LearningAuth,
    LearningClient,
    OAuthCredentials,
    RaasWorkerDirectory,
    RateLimiter,
    RefreshTokenProvider,
    ReportFormat,
    WorkdayBearerAuth,
    WorkdayTranscriptSink,
    build_learning_client,
    isu_basic_auth,
)
from app.errors import ConfigurationError
from app.settings import Settings, TenantSettings, load_settings
from app.use_cases.membership import PlanMembership, SyncMembership
from app.use_cases.transcripts import PlanTranscripts, SyncTranscripts
from domain.removal_guard import RemovalPolicy

_PROVIDER_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def _http_client(base_url: str = "") -> Iterator[httpx.Client]:
    client = httpx.Client(base_url=base_url, timeout=_PROVIDER_TIMEOUT, follow_redirects=False)
    try:
        yield client
    finally:
        client.close()


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


def _isu(tenant: TenantSettings, what: str) -> IsuCredentials:
    if tenant.isu is None:
        raise ConfigurationError(f"{what} is 'isu' but the tenant has no [isu] username and password")
    return IsuCredentials(tenant.isu.username, tenant.tenant, tenant.isu.password)


def _raas_auth(tenant: TenantSettings, tokens: providers.Provider[RefreshTokenProvider]) -> httpx.Auth:
    if tenant.raas.auth == "isu":
        isu = _isu(tenant, "raas.auth")
        return isu_basic_auth(isu.user, isu.password)
    return WorkdayBearerAuth(tokens())


def _learning_auth(tenant: TenantSettings, tokens: providers.Provider[RefreshTokenProvider]) -> LearningAuth:
    if tenant.learning.auth == "isu":
        return _isu(tenant, "learning.auth")
    return OAuthCredentials(tokens())


def _learning_client(tenant: TenantSettings, auth: LearningAuth, limiter: RateLimiter) -> Iterator[LearningClient]:
    client = build_learning_client(tenant.learning_endpoint, auth, wsdl=tenant.learning.wsdl, limiter=limiter)
    try:
        yield client
    finally:
        client.close()


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    tenant_name = providers.Dependency(instance_of=str)
    tenant = providers.Dependency(instance_of=TenantSettings)

    clock = providers.Singleton(SystemClock)
    ledger_engine = providers.Singleton(create_engine_for, settings.provided.ledger_url)
    sync_ledger = providers.Singleton(SqlSyncLedger, ledger_engine)
    delivery_ledger = providers.Singleton(SqlDeliveryLedger, ledger_engine)

    # Workday
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
    rate_limiter = providers.Singleton(RateLimiter, tenant.provided.learning.rate_limit)
    learning_auth = providers.Singleton(_learning_auth, tenant, token_provider.provider)
    learning_client = providers.Resource(_learning_client, tenant, learning_auth, rate_limiter)
    transcript_sink = providers.Singleton(WorkdayTranscriptSink, learning_client)

    # The provider (LumiQ)
    lumiq_http = providers.Resource(_http_client, base_url=tenant.provided.lumiq.base_url)
    member_registry = providers.Singleton(
        LumiqMemberRegistry, lumiq_http, tenant.provided.lumiq.api_key, page_size=tenant.provided.lumiq.page_size
    )
    completion_source = providers.Singleton(
        LumiqCompletionSource, lumiq_http, tenant.provided.lumiq.api_key, page_size=tenant.provided.lumiq.page_size
    )

    # Use cases
    removal_policy = providers.Singleton(
        RemovalPolicy,
        max_removal_share=tenant.provided.guard.max_removal_share,
        min_report_share=tenant.provided.guard.min_report_share,
    )
    plan_membership = providers.Factory(
        PlanMembership, worker_directory, member_registry, clock, tenant.provided.zone, removal_policy
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
    plan_transcripts = providers.Factory(
        PlanTranscripts, completion_source, delivery_ledger, tenant_name, tenant.provided.zone
    )
    sync_transcripts = providers.Factory(
        SyncTranscripts,
        plan_transcripts,
        transcript_sink,
        delivery_ledger,
        sync_ledger,
        clock,
        tenant_name,
        concurrency=tenant.provided.learning.concurrency,
    )


def build_container(
    config_file: Path | None = None, tenant: str | None = None, settings: Settings | None = None
) -> Container:
    """A container for one tenant, from ``settings`` or, failing that, the configuration file and environment."""
    chosen = settings or load_settings(config_file)
    name, tenant_settings = chosen.tenant(tenant)
    return Container(settings=chosen, tenant_name=name, tenant=tenant_settings)
