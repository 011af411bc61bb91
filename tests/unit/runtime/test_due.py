"""The tick's window: each due time of a schedule falls in exactly one tick, however time is cut into ticks,
in the tenant's zone, across its changes of clock."""

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter
from hypothesis import given, settings
from hypothesis import strategies as st

from app.runtime import due as due_module
from app.runtime.due import DueSession, due_sessions, due_times
from domain.schedules import SyncKind, TenantSchedule, Weekday
from domain.tenant_status import TenantProfile

ZONES = [ZoneInfo(name) for name in ("UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Tehran")]
START = datetime(2026, 3, 6, tzinfo=UTC)  # across the changes of clock of 8 March (US), 29 March (EU), 5 April (AU)
SPAN = timedelta(days=31)

schedules = st.builds(
    TenantSchedule,
    membership_daily_at=st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 59])),
    transcripts_every_minutes=st.sampled_from([None, 60, 120]),
    reconcile_weekly=st.tuples(st.sampled_from(list(Weekday)), st.builds(time, st.integers(0, 23))),
)


@st.composite
def cuts(draw: st.DrawFn) -> list[datetime]:
    """Tick times from START to START + SPAN: any number, any distance apart."""
    offsets = draw(st.lists(st.integers(1, int(SPAN.total_seconds()) - 1), max_size=40, unique=True))
    return [START, *sorted(START + timedelta(seconds=n) for n in offsets), START + SPAN]


@settings(max_examples=40, deadline=None)
@given(schedule=schedules, zone=st.sampled_from(ZONES), ticks=cuts())
def test_each_due_time_falls_in_exactly_one_tick_however_time_is_cut(
    schedule: TenantSchedule, zone: ZoneInfo, ticks: list[datetime]
) -> None:
    tenants = [TenantProfile(name, zone, schedule) for name in ("acme", "globex")]  # the second read from the first
    whole = due_sessions(tenants, START, START + SPAN)
    cut = [due for after, until in itertools.pairwise(ticks) for due in due_sessions(tenants, after, until)]

    assert sorted(cut, key=_order) == sorted(whole, key=_order)
    assert len({(due.tenant, due.kind, due.due) for due in cut}) == len(cut)
    assert {due.tenant for due in whole} <= {"acme", "globex"}
    assert [due for due in cut if due.tenant == "acme"] == [
        DueSession("acme", due.kind, due.due) for due in cut if due.tenant == "globex"
    ]


def _order(due: DueSession) -> tuple[datetime, str, str]:
    return (due.due, due.tenant, due.kind.value)


def test_tenants_sharing_a_schedule_and_zone_read_its_cron_once_a_window(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []

    def counted(cron: str, start: datetime) -> croniter:
        reads.append(cron)
        return croniter(cron, start)

    monkeypatch.setattr(due_module, "croniter", counted)
    hourly = TenantSchedule(membership_daily_at=None, transcripts_every_minutes=60, reconcile_weekly=None)
    tenants = [TenantProfile(f"t{n}", ZoneInfo("America/New_York"), hourly) for n in range(50)]
    at = datetime(2026, 7, 1, 9, 59, 50, tzinfo=UTC)
    ticks = [at + timedelta(seconds=5 * n) for n in range(6)]  # the hour falls in the third window

    found = [due_sessions(tenants, after, until) for after, until in itertools.pairwise(ticks)]

    assert [len(each) for each in found] == [0, 50, 0, 0, 0]
    assert len(reads) <= 2  # the first window, and the window its reading did not reach past


def test_a_daily_schedule_fires_once_a_local_day_at_its_local_time_across_a_change_of_clock() -> None:
    zone = ZoneInfo("America/New_York")
    days = list(due_times("30 6 * * *", zone, datetime(2026, 3, 6, tzinfo=UTC), datetime(2026, 3, 11, tzinfo=UTC)))

    assert [at.astimezone(zone).time() for at in days] == [time(6, 30)] * 5
    assert [at.astimezone(UTC).hour for at in days] == [11, 11, 10, 10, 10]  # EST, then EDT from 8 March


def test_a_window_holds_its_end_and_not_its_start() -> None:
    at = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)

    assert list(due_times("0 6 * * *", ZoneInfo("UTC"), at - timedelta(minutes=1), at)) == [at]
    assert list(due_times("0 6 * * *", ZoneInfo("UTC"), at, at + timedelta(minutes=1))) == []


def test_paused_tenants_and_paused_kinds_are_left_out() -> None:
    every_hour = TenantSchedule(membership_daily_at=None, transcripts_every_minutes=60, reconcile_weekly=None)
    day = (START, START + timedelta(days=1))
    paused_kind = TenantSchedule(None, 60, None, paused=frozenset({SyncKind.TRANSCRIPTS}))

    assert len(due_sessions([TenantProfile("a", ZoneInfo("UTC"), every_hour)], *day)) == 24
    assert due_sessions([TenantProfile("a", ZoneInfo("UTC"), every_hour, paused=True)], *day) == []
    assert due_sessions([TenantProfile("a", ZoneInfo("UTC"), paused_kind)], *day) == []
