"""A tenant's container: its settings to its adapters (singletons and resources) to its use cases (factories).
It is one part of the one composition root, ``app.application``: what every tenant shares (the clock, the
ledger and the outbox) is given to it by the application container.

Adapters are imported inside the small factory functions below, on first use: ``wlc membership plan`` must not
pay at start-up for zeep or SQLAlchemy, which it never uses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from dependency_injector import containers, providers

from adapters.budget.rule import Priority
from app.errors import ConfigurationError
from app.settings import Settings, TenantSettings
from app.use_cases.deliver import DeliverCompletion
from app.use_cases.lms import (
    DeleteCompletion,
    GetCompletion,
    ListCategories,
    PushCompletion,
    RecentCourses,
    UpsertContent,
)
from app.use_cases.membership import PlanMembership, SyncMembership
from app.use_cases.membership_approval import ApproveMembershipPlan, RejectMembershipPlan
from app.use_cases.reconcile import ReconcileCompletions
from app.use_cases.transcripts import PlanTranscripts, SyncTranscripts
from app.use_cases.views import ListContent, ListEnrollments, ListSkills, ShowContent
from domain.course_wrapper import AccountSettings
from domain.removal_guard import RemovalPolicy

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from adapters.budget.store import BudgetStore
    from adapters.budget.tenant_budget import TenantBudget
    from adapters.lumiq import LumiqCompletionSource, LumiqMemberRegistry
    from adapters.workday.auth.credentials import LearningAuth
    from adapters.workday.auth.tokens import RefreshObserver, RefreshTokenProvider
    from adapters.workday.learning.client import LearningClient
    from adapters.workday.learning.transcript_sink import WorkdayTranscriptSink
    from adapters.workday.raas.directory import RaasWorkerDirectory
    from adapters.workday.talent.client import TalentClient
    from app.tenants.secrets import SecretBox
    from domain.ports.clock import Clock
    from domain.ports.completion_outbox import CompletionOutbox
    from domain.ports.course_publisher import CoursePublisher
    from domain.ports.cover_images import CoverImages
    from domain.ports.delivery_ledger import DeliveryLedger
    from domain.ports.enrollment_registry import EnrollmentRegistry
    from domain.ports.learning_catalog import LearningCatalog
    from domain.ports.sync_ledger import SyncLedger
    from domain.ports.token_health import TokenHealthRecord

_PROVIDER_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def _http_client(base_url: str = "") -> Iterator[httpx.Client]:
    from adapters.tls import tls_context

    client = httpx.Client(base_url=base_url, timeout=_PROVIDER_TIMEOUT, follow_redirects=False, verify=tls_context())
    try:
        yield client
    finally:
        client.close()


def _workday_transport(tenant_name: str) -> httpx.BaseTransport:
    """What every one of the tenant's Workday clients sends through: each request counted, timed and traced."""
    from adapters.tls import tls_context
    from app.observability.workday_calls import observed

    return observed(httpx.HTTPTransport(verify=tls_context()), tenant_name)


def _workday_http(tenant_name: str) -> Iterator[httpx.Client]:
    client = httpx.Client(transport=_workday_transport(tenant_name), timeout=_PROVIDER_TIMEOUT, follow_redirects=False)
    try:
        yield client
    finally:
        client.close()


def _token_provider(
    client: httpx.Client,
    tenant: TenantSettings,
    tenant_name: str,
    ledger: providers.Provider[Engine],
    secrets: providers.Provider[SecretBox],
    observer: RefreshObserver | None = None,
) -> RefreshTokenProvider:
    from adapters.storage.refresh_tokens import SqlRefreshTokenKeeper
    from adapters.workday.auth.tokens import ClientAuthStyle, RefreshTokenProvider

    if tenant.oauth is None:
        raise ConfigurationError("the tenant has no [oauth] client: set client_id, client_secret and refresh_token")
    return RefreshTokenProvider(
        client,
        tenant.token_url,
        tenant.oauth.client_id,
        tenant.oauth.client_secret,
        tenant.oauth.refresh_token,
        client_auth=ClientAuthStyle(tenant.oauth.client_auth),
        # A tenant that rotates its refresh tokens: every process on the ledger refreshes with the latest.
        keeper=SqlRefreshTokenKeeper(ledger(), tenant_name, tenant.oauth.refresh_token, secrets()),
        observer=observer,
    )


def _token_observer(record: TokenHealthRecord, tenant_name: str, clock: Clock) -> RefreshObserver:
    from adapters.workday.auth.token_observer import RecordingRefreshObserver

    return RecordingRefreshObserver(record, tenant_name, clock)


def _isu_user(tenant: TenantSettings, what: str) -> tuple[str, str]:
    if tenant.isu is None:
        raise ConfigurationError(f"{what} is 'isu' but the tenant has no [isu] username and password")
    return tenant.isu.username, tenant.tenant


def _worker_directory(
    client: httpx.Client,
    tenant: TenantSettings,
    tenant_name: str,
    tokens: providers.Provider[RefreshTokenProvider],
    budget: TenantBudget,
) -> RaasWorkerDirectory:
    from adapters.workday.auth.flows import WorkdayBearerAuth, isu_basic_auth
    from adapters.workday.raas.directory import RaasWorkerDirectory
    from adapters.workday.raas.url import ReportFormat

    auth: httpx.Auth
    if tenant.raas.auth == "isu":
        _isu_user(tenant, "raas.auth")
        assert tenant.isu is not None
        auth = isu_basic_auth(tenant.isu.username, tenant.isu.password)
    else:
        auth = WorkdayBearerAuth(tokens())
    return RaasWorkerDirectory(
        client,
        tenant.raas.url,
        auth=auth,
        report_format=ReportFormat(tenant.raas.format),
        columns=tenant.raas.columns,
        columns_setting=f"[tenants.{tenant_name}.raas.columns]",
        budget=budget,
    )


def _rate_limiter(store: BudgetStore, tenant_name: str, tenant: TenantSettings, role: Priority) -> TenantBudget:
    from adapters.budget.tenant_budget import TenantBudget

    learning = tenant.learning
    return TenantBudget(store, tenant_name, learning.rate_limit, role, margin=learning.rate_margin_ms / 1000)


def _learning_auth(tenant: TenantSettings, tokens: providers.Provider[RefreshTokenProvider]) -> LearningAuth:
    from adapters.workday.auth.credentials import IsuCredentials, OAuthCredentials

    if tenant.learning.auth == "isu":
        user, name = _isu_user(tenant, "learning.auth")
        assert tenant.isu is not None
        return IsuCredentials(user, name, tenant.isu.password)
    return OAuthCredentials(tokens())


def _learning_client(
    tenant: TenantSettings, auth: LearningAuth, limiter: TenantBudget, tenant_name: str
) -> Iterator[LearningClient]:
    from adapters.workday.learning.client import build_learning_client

    client = build_learning_client(
        tenant.learning_endpoint,
        auth,
        wsdl=tenant.learning.wsdl,
        limiter=limiter,
        transport=_workday_transport(tenant_name),
    )
    try:
        yield client
    finally:
        client.close()


def _transcript_sink(client: LearningClient) -> WorkdayTranscriptSink:
    from adapters.workday.learning.transcript_sink import WorkdayTranscriptSink

    return WorkdayTranscriptSink(client)


def _talent_client(
    tenant: TenantSettings, auth: LearningAuth, limiter: TenantBudget, tenant_name: str
) -> Iterator[TalentClient]:
    from adapters.workday.talent.client import build_talent_client

    client = build_talent_client(
        tenant.talent_endpoint,
        auth,
        wsdl=tenant.talent.wsdl,
        limiter=limiter,
        transport=_workday_transport(tenant_name),
    )
    try:
        yield client
    finally:
        client.close()


def _course_publisher(client: LearningClient, talent: providers.Provider[TalentClient]) -> CoursePublisher:
    from adapters.workday.learning.course_publisher import WorkdayCoursePublisher
    from adapters.workday.talent.skills import WorkdaySkills

    return WorkdayCoursePublisher(client, WorkdaySkills(talent))


def _enrollment_registry(client: LearningClient, tenant: TenantSettings) -> EnrollmentRegistry:
    from adapters.workday.learning.enrollment_registry import WorkdayEnrollmentRegistry
    from adapters.workday.learning.enrollment_requests import Grades

    grades = Grades(passed=tenant.learning.grade_pass, failed=tenant.learning.grade_fail)
    return WorkdayEnrollmentRegistry(client, grades=grades)


def _learning_catalog(
    tenant: TenantSettings,
    client: providers.Provider[LearningClient],
    tokens: providers.Provider[RefreshTokenProvider],
    limiter: TenantBudget,
    tenant_name: str,
) -> Iterator[LearningCatalog]:
    from adapters.workday.learning.catalog import SoapLearningCatalog
    from adapters.workday.rest.catalog import RestLearningCatalog

    if tenant.lms.catalog == "rest":
        rest = RestLearningCatalog(
            tenant.host, tenant.tenant, tokens(), limiter=limiter, transport=_workday_transport(tenant_name)
        )
        try:
            yield rest
        finally:
            rest.close()
    else:
        yield SoapLearningCatalog(client())


def _cover_images() -> Iterator[CoverImages]:
    from adapters.images import HttpCoverImages

    images = HttpCoverImages()
    try:
        yield images
    finally:
        images.close()


def _member_registry(client: httpx.Client, tenant: TenantSettings) -> LumiqMemberRegistry:
    from adapters.lumiq import LumiqMemberRegistry

    return LumiqMemberRegistry(client, tenant.lumiq.api_key, page_size=tenant.lumiq.page_size)


def _completion_source(client: httpx.Client, tenant: TenantSettings) -> LumiqCompletionSource:
    from adapters.lumiq import LumiqCompletionSource

    return LumiqCompletionSource(client, tenant.lumiq.api_key, page_size=tenant.lumiq.page_size)


class TenantContainer(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    tenant_name = providers.Dependency(instance_of=str)
    tenant = providers.Dependency(instance_of=TenantSettings)

    # Shared by every tenant: given by the application container.
    clock: providers.Dependency[Clock] = providers.Dependency()
    ledger_engine: providers.Dependency[Engine] = providers.Dependency()
    sync_ledger: providers.Dependency[SyncLedger] = providers.Dependency()
    delivery_ledger: providers.Dependency[DeliveryLedger] = providers.Dependency()
    completion_outbox: providers.Dependency[CompletionOutbox] = providers.Dependency()
    secrets: providers.Dependency[SecretBox] = providers.Dependency()
    """Seals the refresh tokens the ledger keeps (``app.tenants.secrets``)."""
    budget_store: providers.Dependency[BudgetStore] = providers.Dependency()
    role = providers.Dependency(instance_of=Priority)
    token_health: providers.Dependency[TokenHealthRecord] = providers.Dependency()

    # Workday
    workday_http = providers.Resource(_workday_http, tenant_name)
    # Each grant and refusal of the refresh token is recorded, for the tenant's status and alerts.
    token_observer = providers.Singleton(_token_observer, token_health, tenant_name, clock)
    token_provider = providers.Singleton(
        _token_provider, workday_http, tenant, tenant_name, ledger_engine.provider, secrets.provider, token_observer
    )
    rate_limiter = providers.Singleton(_rate_limiter, budget_store, tenant_name, tenant, role)
    """The tenant's request budget, shared with every process: every Workday request takes a slot of it."""
    worker_directory = providers.Singleton(
        _worker_directory, workday_http, tenant, tenant_name, token_provider.provider, rate_limiter
    )
    learning_auth = providers.Singleton(_learning_auth, tenant, token_provider.provider)
    learning_client = providers.Resource(_learning_client, tenant, learning_auth, rate_limiter, tenant_name)
    transcript_sink = providers.Singleton(_transcript_sink, learning_client)
    # Skills are the Talent service's: its client is made on the first skill lookup, not before.
    talent_client = providers.Resource(_talent_client, tenant, learning_auth, rate_limiter, tenant_name)
    course_publisher = providers.Singleton(_course_publisher, learning_client, talent_client.provider)
    enrollment_registry = providers.Singleton(_enrollment_registry, learning_client, tenant)
    learning_catalog = providers.Resource(
        _learning_catalog, tenant, learning_client.provider, token_provider.provider, rate_limiter, tenant_name
    )
    cover_images = providers.Resource(_cover_images)

    # The provider (LumiQ)
    lumiq_http = providers.Resource(_http_client, base_url=tenant.provided.lumiq.base_url)
    member_registry = providers.Singleton(_member_registry, lumiq_http, tenant)
    completion_source = providers.Singleton(_completion_source, lumiq_http, tenant)

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
    # A membership plan the removal guard blocked: an operator approves (applies exactly it) or rejects it.
    approve_membership_plan = providers.Factory(
        ApproveMembershipPlan,
        member_registry,
        sync_ledger,
        clock,
        tenant_name,
        concurrency=tenant.provided.apply_concurrency,
    )
    reject_membership_plan = providers.Factory(RejectMembershipPlan, sync_ledger, clock, tenant_name)
    plan_transcripts = providers.Factory(
        PlanTranscripts,
        completion_source,
        delivery_ledger,
        tenant_name,
        tenant.provided.zone,
        tenant.provided.learning.grade_pass,
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
    account = providers.Singleton(
        AccountSettings,
        requires_enrollment=tenant.provided.lms.requires_enrollment,
        create_mobile_lesson=tenant.provided.lms.create_mobile_lesson,
        media_file_wid=tenant.provided.lms.media_file_wid,
    )
    upsert_content = providers.Factory(UpsertContent, learning_catalog, course_publisher, cover_images, account)
    recent_courses = providers.Singleton(
        RecentCourses, learning_catalog, clock, tenant.provided.lms.provided.course_lookup_seconds
    )
    push_completion = providers.Factory(PushCompletion, recent_courses, enrollment_registry)
    deliver_completion = providers.Factory(DeliverCompletion, push_completion, completion_outbox, clock)
    get_completion = providers.Factory(GetCompletion, enrollment_registry)
    delete_completion = providers.Factory(DeleteCompletion, enrollment_registry, completion_outbox, tenant_name, clock)
    reconcile = providers.Factory(
        ReconcileCompletions,
        learning_catalog,
        enrollment_registry,
        completion_outbox,
        push_completion,
        tenant_name,
        sync_ledger,
        clock,
    )
    list_categories = providers.Factory(ListCategories, course_publisher)
    list_skills = providers.Factory(ListSkills, course_publisher)
    list_content = providers.Factory(ListContent, learning_catalog)
    show_content = providers.Factory(ShowContent, learning_catalog)
    list_enrollments = providers.Factory(ListEnrollments, learning_catalog, enrollment_registry)


def build_container(
    config_file: Path | None = None, tenant: str | None = None, settings: Settings | None = None
) -> TenantContainer:
    """The container of ``tenant`` (or the default one), in an application built from ``settings`` or, failing
    that, the configuration file and environment."""
    from app.application import build_application

    application = build_application(config_file, settings)
    tenants = application.tenants()
    return tenants.get(tenants.pick(tenant, application.settings().default_tenant))
