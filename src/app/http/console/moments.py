"""How the console writes a moment: in UTC to the minute, and how long ago (or ahead) it is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def when(moment: datetime | None) -> str:
    return "—" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def span(length: timedelta) -> str:
    seconds = max(int(length.total_seconds()), 0)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    return f"in {span(moment - now)}" if moment > now else f"{span(now - moment)} ago"
