"""``GET /admin/status``: every tenant's status for the provider's operators (an admin key), the same document
``wlc status --json`` prints (``app.status_json``), from the same use case."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from app.http.auth import AdminAuthorized, dependencies
from app.http.errors import ApiError
from app.status_json import status_document

router = APIRouter(prefix="/admin", tags=["admin"])


@router.get("/status")
def status(
    request: Request,
    admin: AdminAuthorized,
    tenant: Annotated[list[str] | None, Query(description="Only this tenant (repeat for several).")] = None,
) -> list[dict[str, Any]]:
    """Each tenant's runs (last success and failure per kind, next scheduled), outbox depth and oldest pending
    age, refused completions, the plan the removal guard holds back, rejected report rows, pause, the refresh
    token and rate-limit use. 404 naming a tenant that is not configured."""
    deps = dependencies(request)
    if tenant:
        known = set(deps.tenants.names)
        unknown = [name for name in tenant if name not in known]
        if unknown:
            raise ApiError(404, f"tenant {', '.join(repr(n) for n in unknown)} is not configured", "tenant")
    return [status_document(one) for one in deps.tenant_status()(tenant or None)]
