"""When the runtime syncs a tenant by itself: membership once a day at a local time, transcripts every few
minutes, reconcile once a week (a dry run unless the tenant opted in to fixing), each in the tenant's time zone.
A schedule is written as a five-field cron expression, which the runtime's scheduler takes with the zone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum

from domain.errors import InvalidValue


class SyncKind(StrEnum):
    """The kinds of work a tenant's session does."""

    MEMBERSHIP = "membership"
    TRANSCRIPTS = "transcripts"
    RECONCILE = "reconcile"
    DELIVER = "deliver"
    """The completion outbox's delivery: started by due work, not by a schedule."""


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


_CRON_DAY = {day: str((n + 1) % 7) for n, day in enumerate(Weekday)}  # cron: 0 is Sunday
_MINUTE_STEPS = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30)
_HOUR_STEPS = (1, 2, 3, 4, 6, 8, 12, 24)


@dataclass(frozen=True, slots=True)
class TenantSchedule:
    """A tenant's schedules; a kind set to None is not scheduled, one in ``paused`` is kept but does not fire.
    ``transcripts_every_minutes`` must divide an hour or be whole hours dividing a day, so that every tick of
    the cron expression is the same distance apart."""

    membership_daily_at: time | None = time(6, 0)
    transcripts_every_minutes: int | None = 60
    reconcile_weekly: tuple[Weekday, time] | None = (Weekday.SUN, time(4, 0))
    reconcile_fix: bool = False
    """Reconcile's scheduled runs correct what they find; a dry run otherwise."""
    paused: frozenset[SyncKind] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        every = self.transcripts_every_minutes
        if every is not None and every not in _MINUTE_STEPS and not (every % 60 == 0 and every // 60 in _HOUR_STEPS):
            steps = ", ".join(str(n) for n in (*_MINUTE_STEPS, *(h * 60 for h in _HOUR_STEPS)))
            raise InvalidValue("transcripts_every_minutes", f"{every} is not one of {steps}")
        if SyncKind.DELIVER in self.paused:
            raise InvalidValue("paused", "deliveries have no schedule; pause the tenant instead")

    def crons(self) -> dict[SyncKind, str]:
        """The cron expression (minute hour day month weekday) of each scheduled kind, paused ones included."""
        found: dict[SyncKind, str] = {}
        if self.membership_daily_at is not None:
            at = self.membership_daily_at
            found[SyncKind.MEMBERSHIP] = f"{at.minute} {at.hour} * * *"
        every = self.transcripts_every_minutes
        if every is not None:
            found[SyncKind.TRANSCRIPTS] = f"*/{every} * * * *" if every < 60 else f"0 */{every // 60} * * *"
        if self.reconcile_weekly is not None:
            day, at = self.reconcile_weekly
            found[SyncKind.RECONCILE] = f"{at.minute} {at.hour} * * {_CRON_DAY[day]}"
        return found
