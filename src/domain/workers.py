"""Workers as the customer's Workday report lists them, and the rules a report row must meet."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from returns.result import Failure, Result, Success

from domain.errors import InvalidValue
from domain.workday_dates import parse_workday_date

_WID = re.compile(r"[0-9a-f]{32}")
# Deliberately loose: the report is the customer's system of record; this only catches a column mix-up.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

REPORT_FIELDS = ("wid", "first_name", "last_name", "employee_id", "termination_date", "email")
"""The canonical names of a report's columns; the first five are the seed's required aliases."""
REQUIRED_FIELDS = ("wid", "employee_id", "first_name", "last_name")
"""The fields every valid row carries a value for; a row without one of them is a ``MalformedRow``."""


def normalise_wid(value: str) -> str:
    """A WID in canonical form (32 lower-case hex characters); raises ``InvalidValue`` otherwise."""
    wid = value.strip().lower()
    if not _WID.fullmatch(wid):
        raise InvalidValue("wid", f"{value!r} is not a Workday ID (32 hexadecimal characters)")
    return wid


def _required_text(field: str, value: str) -> str:
    text = value.strip()
    if not text:
        raise InvalidValue(field, "is blank")
    return text


@dataclass(frozen=True, slots=True)
class Worker:
    """One row of the worker report. ``termination_date`` is the worker's last day, if one is set."""

    wid: str
    employee_id: str
    first_name: str
    last_name: str
    termination_date: date | None = None
    email: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "wid", normalise_wid(self.wid))
        object.__setattr__(self, "employee_id", _required_text("employee_id", self.employee_id))
        object.__setattr__(self, "first_name", _required_text("first_name", self.first_name))
        object.__setattr__(self, "last_name", _required_text("last_name", self.last_name))
        if self.email is not None:
            email = self.email.strip()
            if not _EMAIL.fullmatch(email):
                raise InvalidValue("email", f"{self.email!r} is not an email address")
            object.__setattr__(self, "email", email)

    def is_terminated_on(self, today: date) -> bool:
        """The rule: a worker whose termination date is on or before today has no access from today on."""
        return self.termination_date is not None and self.termination_date <= today


@dataclass(frozen=True, slots=True)
class MalformedRow:
    """A report row that is not a valid worker. Keeps whatever identifiers it did carry, so that the
    member it belongs to is protected from removal instead of looking absent from the report."""

    row_number: int
    field: str
    reason: str
    wid: str | None = None
    employee_id: str | None = None

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.field}: {self.reason}"


ReportEntry = Worker | MalformedRow
"""What a worker report yields for each row, in report order."""


def parse_worker(row_number: int, fields: Mapping[str, str | None]) -> Result[Worker, MalformedRow]:
    """A worker from a report row's canonical fields (see ``REPORT_FIELDS``); a missing or blank required
    field, a bad WID, a bad date or a bad email gives a ``MalformedRow`` naming the field."""
    raw_wid = _present(fields.get("wid"))
    raw_employee_id = _present(fields.get("employee_id"))
    wid = _wid_or_none(raw_wid)
    try:
        for required in REQUIRED_FIELDS:
            if _present(fields.get(required)) is None:
                raise InvalidValue(required, "is missing")
        termination = _present(fields.get("termination_date"))
        worker = Worker(
            wid=raw_wid or "",
            employee_id=raw_employee_id or "",
            first_name=fields.get("first_name") or "",
            last_name=fields.get("last_name") or "",
            termination_date=None if termination is None else parse_workday_date(termination, "termination_date"),
            email=_present(fields.get("email")),
        )
    except InvalidValue as problem:
        return Failure(MalformedRow(row_number, problem.field, problem.message, wid, raw_employee_id))
    return Success(worker)


def _present(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return value.strip()


def _wid_or_none(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return normalise_wid(value)
    except InvalidValue:
        return None
