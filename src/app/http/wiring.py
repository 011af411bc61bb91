"""The API's composition for ``wlc serve``: the application container (``app.application``), as the API's
dependencies."""

from __future__ import annotations

from collections.abc import Callable

from dependency_injector import providers

from app.application import build_application
from app.container import TenantContainer
from app.http.services import ApiDependencies, api_dependencies
from app.settings import Settings, TenantSettings


def build_dependencies(settings: Settings, rate_share: Callable[[int], int] | None = None) -> ApiDependencies:
    """The API's dependencies; with ``rate_share``, each tenant's container takes that share of its
    ``learning.rate_limit`` (this process's, when several share the tenant's limit)."""
    application = build_application(settings=settings)
    if rate_share is not None:
        share = rate_share

        def take_share(name: str, container: TenantContainer) -> None:
            tenant = container.tenant()
            assert isinstance(tenant, TenantSettings)
            container.tenant.override(providers.Object(with_rate_limit(tenant, share)))

        application.tenants().when_built(take_share)
    return api_dependencies(application)


def with_rate_limit(tenant: TenantSettings, share: Callable[[int], int]) -> TenantSettings:
    """``tenant`` with its ``learning.rate_limit`` replaced by ``share`` of it."""
    learning = tenant.learning.model_copy(update={"rate_limit": share(tenant.learning.rate_limit)})
    return tenant.model_copy(update={"learning": learning})
