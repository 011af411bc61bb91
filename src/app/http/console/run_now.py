"""'Run now' on the console: one run of a kind for a tenant, started by an operator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.schedules import SyncKind

if TYPE_CHECKING:
    from app.application import Application


def run_now(application: Application, tenant: str, kind: SyncKind) -> int | None:
    """Runs ``kind`` for ``tenant`` and returns its run's id (None for a reconcile that found nothing to fix, which
    records no run). A membership run applies its plan unless the removal guard blocks it; a reconcile fixes what it
    finds when the tenant's schedule says scheduled reconciles do (``schedules.reconcile_fix``)."""
    # runtime: becomes `return enqueue_session(application, tenant, kind)` once sessions run on the runtime.
    return _run_here(application, tenant, kind)


def _run_here(application: Application, tenant: str, kind: SyncKind) -> int | None:
    """The run, in this process, before the request is answered."""
    container = application.tenants().get(tenant)
    match kind:
        case SyncKind.MEMBERSHIP:
            return int(container.sync_membership()(force=False).run.id)
        case SyncKind.TRANSCRIPTS:
            return int(container.sync_transcripts()(None).run.id)
        case SyncKind.RECONCILE:
            fix = application.tenants().settings(tenant).schedules.reconcile_fix
            found = container.reconcile()(all_courses=True, fix=fix).run_id
            return None if found is None else int(found)
    raise ValueError(f"{kind} is not a kind of run an operator starts")
