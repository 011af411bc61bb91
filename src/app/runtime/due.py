"""Which tenant sessions a tick starts: each schedule's due times in the tick's window, read in the tenant's zone.

A window is half-open, ``(after, until]``: ticks that follow one another cover time with no gap and no overlap,
so each due time falls in exactly one window, however time is cut into ticks (a late tick, a backfill). A due
time names the session it starts, which is what keeps two enqueues of it to one run."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from croniter import croniter

from domain.schedules import SyncKind
from domain.tenant_status import TenantProfile


@dataclass(frozen=True, slots=True)
class DueSession:
    tenant: str
    kind: SyncKind
    due: datetime
    """In UTC."""


def due_times(cron: str, zone: ZoneInfo, after: datetime, until: datetime) -> Iterator[datetime]:
    """The times ``cron`` (read in ``zone``) names within ``(after, until]``, in UTC, in order."""
    if until <= after or _first_after(cron, zone, after) > until:
        return
    times = croniter(cron, after.astimezone(zone))
    while (at := times.get_next(datetime).astimezone(UTC)) <= until:
        yield at


_next_due: dict[tuple[str, str], tuple[datetime, datetime]] = {}
"""Per cron and zone, a time and the cron's first time after it. A tick asks every schedule of every tenant, and
nearly always nothing is due: reading a cron costs about 0.1 ms, which for 500 tenants every few seconds is a few
percent of a core while the worker is idle; the answer holds until that first time is passed."""


def _first_after(cron: str, zone: ZoneInfo, after: datetime) -> datetime:
    key = (cron, zone.key)
    known = _next_due.get(key)
    if known is not None and known[0] <= after < known[1]:
        return known[1]
    first: datetime = croniter(cron, after.astimezone(zone)).get_next(datetime).astimezone(UTC)
    _next_due[key] = (after, first)
    return first


def due_sessions(profiles: Iterable[TenantProfile], after: datetime, until: datetime) -> list[DueSession]:
    """Every scheduled session due in ``(after, until]``: paused tenants and paused kinds left out."""
    found: list[DueSession] = []
    for profile in profiles:
        if profile.paused:
            continue
        for kind, cron in profile.schedule.crons().items():
            if kind in profile.schedule.paused:
                continue
            found.extend(DueSession(profile.name, kind, at) for at in due_times(cron, profile.zone, after, until))
    return sorted(found, key=lambda each: (each.due, each.tenant, each.kind))
