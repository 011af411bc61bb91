"""A notice as JSON: what the webhook posts. ``text`` alone is what Slack (and chat tools that copy its incoming
webhooks) shows; the other fields are for machines."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.alerts import Notice


def _at(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def notice_json(notice: Notice) -> dict[str, object]:
    incident = notice.incident
    return {
        "text": notice.text,
        "event": "opened" if notice.kind.value == "alert" else "recovered",
        "subject": notice.subject,
        "incident": {
            "key": incident.key,
            "tenant": incident.tenant,
            "condition": incident.condition.value,
            "kind": None if incident.kind is None else incident.kind.value,
            "summary": incident.summary,
            "opened_at": _at(incident.opened_at),
            "cleared_at": _at(notice.cleared_at),
        },
    }
