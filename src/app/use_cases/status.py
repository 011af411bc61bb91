"""Every tenant's status at once (``domain.tenant_status``): for the CLI's ``wlc status``, the console and the
alerts. Its cost is one query per source (the runs, the outbox, the token record) whatever the number of tenants,
plus the next start of each schedule, computed here from its cron expression in the tenant's zone."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from domain.ports.clock import Clock
from domain.ports.outbox_health import OutboxHealth
from domain.ports.sync_ledger import SyncLedger
from domain.ports.token_health import TokenHealthRecord
from domain.runs import Run, RunKind
from domain.tenant_status import TenantProfile, TenantStatus, TokenStatus, tenant_status


def next_runs(profile: TenantProfile, after: datetime) -> dict[RunKind, datetime]:
    """When each scheduled kind next starts after ``after``: its cron expression read in the tenant's zone by
    ``croniter``, the library DBOS's scheduler reads it with. A local time a daylight-saving change skips comes at
    the end of the gap (02:30 becomes 03:00); one it repeats comes at each of its two instants."""
    minute = after.astimezone(UTC).replace(second=0, microsecond=0)
    kinds = {kind.value: kind for kind in RunKind}
    return {
        kinds[kind.value]: _next_start(expression, profile.zone.key, minute)
        for kind, expression in profile.schedule.crons().items()
        if kind.value in kinds
    }


@functools.lru_cache(maxsize=4096)
def _next_start(expression: str, zone: str, minute: datetime) -> datetime:
    """The next start strictly after ``minute`` (a cron's ticks fall on whole minutes, so any moment within that
    minute has the same next start). Cached: the tenants share a few schedules and zones, and reading an
    expression costs croniter a third of a millisecond."""
    from croniter import croniter  # only where a status is asked for: every other command starts without it

    found: datetime = croniter(expression, minute.astimezone(ZoneInfo(zone))).get_next(datetime)
    return found


class StatusOfTenants:
    """The status of each tenant ``roster`` lists (or of those named), in the roster's order, as of the clock's
    now. The roster is read at each call, so a tenant added or paused meanwhile shows."""

    def __init__(
        self,
        roster: Callable[[], Iterable[TenantProfile]],
        ledger: SyncLedger,
        outbox: OutboxHealth,
        tokens: TokenHealthRecord,
        clock: Clock,
    ) -> None:
        self._roster = roster
        self._ledger = ledger
        self._outbox = outbox
        self._tokens = tokens
        self._clock = clock

    def __call__(self, tenants: Collection[str] | None = None) -> list[TenantStatus]:
        profiles = [p for p in self._roster() if tenants is None or p.name in tenants]
        if not profiles:
            return []
        names = [profile.name for profile in profiles]
        now = self._clock.now()
        latest: dict[str, list[Run]] = defaultdict(list)
        for run in self._ledger.latest_runs(names):
            latest[run.tenant].append(run)
        deliveries = self._outbox.deliveries(names)
        tokens = self._tokens.statuses(names)
        return [
            tenant_status(
                profile,
                now,
                latest[profile.name],
                next_runs(profile, now),
                deliveries[profile.name],
                tokens.get(profile.name, TokenStatus()),
            )
            for profile in profiles
        ]
