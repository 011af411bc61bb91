"""ISO-8601 durations (``PT1H30M45S``) and their whole minutes, as Workday displays course durations."""

from __future__ import annotations

import re
from datetime import timedelta

from domain.errors import InvalidValue

_DURATION = re.compile(
    r"P(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?"
)


def parse_iso_duration(text: str, field: str = "duration") -> timedelta:
    """Weeks, days, hours, minutes and seconds; years and months are refused (their length is not fixed)."""
    match = _DURATION.fullmatch(text.strip().upper())
    if match is None or text.strip().upper() in ("P", "PT") or text.strip().upper().endswith("T"):
        raise InvalidValue(
            field, f"{text!r} is not an ISO-8601 duration such as PT1H30M (years and months have no fixed length)"
        )
    parts = {name: float(value) for name, value in match.groupdict().items() if value is not None}
    try:
        return timedelta(**parts)
    except OverflowError:
        raise InvalidValue(field, f"{text!r} is longer than any course can be") from None


def whole_minutes(duration: timedelta) -> int:
    """The rounding rule: to the nearest minute, half a minute up (PT1H30M45S is 91); but a duration that is
    not zero is never shown as 0 minutes (PT20S is 1)."""
    seconds = duration.total_seconds()
    if seconds <= 0:
        return 0
    return max(1, int((seconds + 30) // 60))
