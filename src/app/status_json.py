"""A tenant's status as a JSON document: what ``wlc status --json`` prints and the HTTP API can answer with. Times
are ISO 8601 in UTC; ages in seconds; a figure the connector does not know is null."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain.tenant_status import KindStatus, RunMark, TenantStatus


def _at(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _mark(mark: RunMark | None) -> dict[str, Any] | None:
    if mark is None:
        return None
    return {"run": mark.run_id, "at": _at(mark.at), "outcome": mark.outcome.value, "message": mark.message}


def _kind(status: KindStatus) -> dict[str, Any]:
    return {
        "last_success": _mark(status.last_success),
        "last_failure": _mark(status.last_failure),
        "failing": status.failing,
        "scheduled": status.scheduled,
        "paused": status.paused,
        "next_run": _at(status.next_run),
    }


def status_document(status: TenantStatus) -> dict[str, Any]:
    deliveries, token = status.deliveries, status.token
    age = status.oldest_pending_age
    return {
        "tenant": status.tenant,
        "as_of": _at(status.as_of),
        "paused": status.paused,
        "runs": {kind.kind.value: _kind(kind) for kind in status.runs},
        "deliveries": {
            "last_delivered": _at(deliveries.last_delivered),
            "last_failed": _at(deliveries.last_failed),
        },
        "outbox": {
            "depth": deliveries.depth,
            "oldest_pending": _at(deliveries.oldest_pending),
            "oldest_pending_age_seconds": None if age is None else age.total_seconds(),
        },
        "refused_completions": {
            "count": deliveries.refused,
            "latest_at": _at(deliveries.last_refused),
            "latest_reason": deliveries.last_refusal,
        },
        "blocked_plan": _mark(status.blocked_plan),
        "rejected_rows": {"count": status.rejected_rows, "run": status.rejected_rows_run},
        "refresh_token": {
            "last_success": _at(token.last_success),
            "last_refusal": _at(token.last_refusal),
            "refusal": token.refusal,
            "refused": token.refused,
        },
        "rate_limit": {"requests_last_minute": status.requests_last_minute},
    }
