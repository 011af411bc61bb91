"""A tenant's schedules as cron expressions (``domain.schedules``)."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.schedules import SyncKind, TenantSchedule, Weekday


def test_the_default_schedule_is_membership_daily_transcripts_hourly_and_reconcile_weekly() -> None:
    assert TenantSchedule().crons() == {
        SyncKind.MEMBERSHIP: "0 6 * * *",
        SyncKind.TRANSCRIPTS: "0 */1 * * *",
        SyncKind.RECONCILE: "0 4 * * 0",
    }


def test_each_kind_can_be_turned_off_and_a_weekday_is_crons_number() -> None:
    schedule = TenantSchedule(None, 15, (Weekday.MON, time(23, 30)))

    assert schedule.crons() == {SyncKind.TRANSCRIPTS: "*/15 * * * *", SyncKind.RECONCILE: "30 23 * * 1"}


@given(st.integers(min_value=1, max_value=1440))
def test_an_interval_is_taken_only_when_every_tick_is_the_same_distance_apart(minutes: int) -> None:
    even = (60 % minutes == 0) if minutes < 60 else (minutes % 60 == 0 and 1440 % minutes == 0)
    if even:
        assert SyncKind.TRANSCRIPTS in TenantSchedule(transcripts_every_minutes=minutes).crons()
    else:
        with pytest.raises(InvalidValue, match="transcripts_every_minutes"):
            TenantSchedule(transcripts_every_minutes=minutes)


def test_deliveries_have_no_schedule_to_pause() -> None:
    with pytest.raises(InvalidValue, match="paused"):
        TenantSchedule(paused=frozenset({SyncKind.DELIVER}))
