"""Workday's date forms, as RaaS and SOAP write them.

Workday writes a calendar date plain (``2024-05-01``), with the offset of the zone it belongs to
(``2024-05-01-07:00``, an ``xsd:date`` with a time zone), or as a date-time (``2024-05-01T00:00:00.000-07:00``).
In every form the calendar date is the one written: the offset says which zone that date is in, and a
termination dated the 1st in Pacific time is the 1st for the tenant. So the date is never shifted to UTC.
"""

from __future__ import annotations

import re
from datetime import date

from domain.errors import InvalidValue

_WORKDAY_DATE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?"
    r"(?:Z|[+-]\d{2}:\d{2})?"
)


def parse_workday_date(text: str, field: str) -> date:
    """The calendar date in one of Workday's forms; raises ``InvalidValue`` naming ``field`` otherwise."""
    match = _WORKDAY_DATE.fullmatch(text.strip())
    if match is None:
        raise InvalidValue(field, f"{text!r} is not a Workday date (2024-05-01, 2024-05-01-07:00 or a date-time)")
    try:
        return date.fromisoformat(match["date"])
    except ValueError:
        raise InvalidValue(field, f"{text!r} is not a real calendar date") from None
