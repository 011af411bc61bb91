"""The tick's share of operations: on which ticks it evaluates the alerts, and the settings that say so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from app.runtime.engine import alerts_due
from app.settings import RuntimeSettings

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_the_alerts_are_evaluated_on_one_tick_of_each_alerts_interval() -> None:
    runtime = RuntimeSettings(tick_seconds=5, alerts_seconds=60)
    ticks = [T0 + timedelta(seconds=5 * n) for n in range(36)]

    assert [at for at in ticks if alerts_due(at, runtime)] == [T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)]


def test_an_alerts_interval_that_is_not_a_multiple_of_the_tick_is_refused_naming_both() -> None:
    with pytest.raises(ValidationError, match=r"alerts_seconds.*tick_seconds"):
        RuntimeSettings(tick_seconds=5, alerts_seconds=7)


def test_a_longest_rest_shorter_than_the_first_is_refused() -> None:
    with pytest.raises(ValidationError, match="rest_most_seconds"):
        RuntimeSettings(rest_first_seconds=120, rest_most_seconds=60)
