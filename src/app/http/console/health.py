"""A tenant's health at a glance, from its status: what the tenants page colours and filters by."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from domain.tenant_status import TenantStatus

STALE_OUTBOX = timedelta(hours=1)
"""An outbox whose oldest pending entry is older than this asks for attention."""


class Health(StrEnum):
    FAILING = "failing"
    """A kind of run whose last run failed, or a refresh token Workday refuses."""
    ATTENTION = "attention"
    """Waits on a person: a blocked plan, rejected report rows, refused completions or a stale outbox."""
    PAUSED = "paused"
    OK = "ok"


def health(status: TenantStatus) -> Health:
    if any(kind.failing for kind in status.runs) or status.token.refused:
        return Health.FAILING
    age = status.oldest_pending_age
    if (
        status.blocked_plan is not None
        or status.rejected_rows
        or status.deliveries.refused
        or (age is not None and age > STALE_OUTBOX)
    ):
        return Health.ATTENTION
    if status.paused or any(kind.paused for kind in status.runs if kind.scheduled):
        return Health.PAUSED
    return Health.OK
