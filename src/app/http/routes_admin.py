"""The admin API: the provider's operators manage tenants as data, with an admin key (``wlc keys create
--admin``); a tenant's key is refused with 403 here, as an admin key is on a tenant's endpoints. Secrets are
written, never read: answers say which are set. A change is served by every process within seconds, with no
restart."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Path, Request
from returns.result import Failure, Result

from app.http.admin_schemas import SETTINGS_SHAPE, RemovedOut, SchedulesOut, TenantIn, TenantOut, TenantsOut
from app.http.auth import AdminAuthorized, dependencies
from app.http.errors import REFUSAL_STATUS, ApiError
from app.use_cases.tenants import ManageTenants, TenantRefusal
from domain.tenant_records import TENANT_NAME

router = APIRouter(prefix="/admin/tenants", tags=["admin"])

TenantName = Annotated[str, Path(pattern=f"^{TENANT_NAME.pattern}$", description="The tenant's name.")]
MergePatch = Annotated[
    dict[str, Any],
    Body(description="A JSON merge patch (RFC 7386): a table merges, null removes a setting. " + SETTINGS_SHAPE),
]
SchedulePatch = Annotated[
    dict[str, Any],
    Body(
        description="A JSON merge patch of the schedules: membership_daily_at (HH:MM), transcripts_every_minutes, "
        "reconcile_weekly ('sun 04:00'), reconcile_fix, paused (kinds); 'off' turns a schedule off, null "
        "restores its default"
    ),
]
T = TypeVar("T")


def _manage(request: Request) -> ManageTenants:
    return dependencies(request).manage_tenants()


def _answer(result: Result[T, TenantRefusal], prefix: str = "") -> T:
    match result:
        case Failure(refusal):
            field = f"{prefix}{refusal.field}" if refusal.field else None
            raise ApiError(REFUSAL_STATUS[refusal.reason], refusal.message, field)
    return result.unwrap()


@router.get("", response_model=TenantsOut)
def list_tenants(request: Request, admin: AdminAuthorized) -> TenantsOut:
    """Every tenant, its settings without secrets."""
    return TenantsOut(tenants=[TenantOut.of(tenant) for tenant in _manage(request).list()])


@router.post("", status_code=201, response_model=TenantOut)
def add_tenant(request: Request, admin: AdminAuthorized, payload: TenantIn) -> TenantOut:
    """Add a tenant: 409 when the name is taken, 422 naming the first setting at fault."""
    return TenantOut.of(_answer(_manage(request).add(payload.name, payload.settings), "settings."))


@router.get("/{name}", response_model=TenantOut)
def show_tenant(request: Request, admin: AdminAuthorized, name: TenantName) -> TenantOut:
    return TenantOut.of(_answer(_manage(request).show(name)))


@router.patch("/{name}", response_model=TenantOut)
def change_tenant(request: Request, admin: AdminAuthorized, name: TenantName, patch: MergePatch) -> TenantOut:
    """Change some settings (secrets too): the rest stay as they are."""
    return TenantOut.of(_answer(_manage(request).change(name, patch), "settings."))


@router.delete("/{name}", response_model=RemovedOut)
def remove_tenant(request: Request, admin: AdminAuthorized, name: TenantName) -> RemovedOut:
    """Remove a tenant: its runs, outbox entries and deliveries stay in the ledger. 409 while the server's
    configuration file still holds it (the next start would import it again)."""
    return RemovedOut.of(_answer(_manage(request).remove(name)))


@router.post("/{name}/pause", response_model=TenantOut)
def pause_tenant(request: Request, admin: AdminAuthorized, name: TenantName) -> TenantOut:
    """A paused tenant runs nothing by itself: no schedule fires and its outbox is not delivered."""
    return TenantOut.of(_answer(_manage(request).pause(name)))


@router.post("/{name}/resume", response_model=TenantOut)
def resume_tenant(request: Request, admin: AdminAuthorized, name: TenantName) -> TenantOut:
    return TenantOut.of(_answer(_manage(request).resume(name)))


@router.get("/{name}/schedules", response_model=SchedulesOut)
def show_schedules(request: Request, admin: AdminAuthorized, name: TenantName) -> SchedulesOut:
    """The tenant's schedules, defaults filled in, each with its cron expression in the tenant's zone."""
    return SchedulesOut.of(_answer(_manage(request).schedules(name)))


@router.patch("/{name}/schedules", response_model=SchedulesOut)
def change_schedules(request: Request, admin: AdminAuthorized, name: TenantName, patch: SchedulePatch) -> SchedulesOut:
    return SchedulesOut.of(_answer(_manage(request).change_schedules(name, patch), "settings."))
