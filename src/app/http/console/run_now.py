"""'Run now' on the console: one run of a kind for a tenant, started by an operator on the workers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.runtime.client import enqueue_session
from domain.schedules import SyncKind

if TYPE_CHECKING:
    from app.application import Application


def run_now(application: Application, tenant: str, kind: SyncKind) -> str:
    """Queues ``kind`` for ``tenant`` on the workers, as ``wlc schedules trigger`` and ``POST /sync/*`` do: the
    run's id, or the id of the run of that tenant and kind already queued or running (one at a time, across every
    worker). A membership run applies its plan unless the removal guard blocks it; a reconcile fixes what it finds
    when the tenant's schedule says scheduled reconciles do (``schedules.reconcile_fix``)."""
    return enqueue_session(application, tenant, kind)
