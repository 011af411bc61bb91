"""The sandbox's synthetic population: the workers of the Workday report and the provider's initial members.

Worker ``i`` is a pure function of ``(config.seed, i)``, so a report of a million rows streams without being
held in memory, and the members are derived from the same function, so they are consistent with the report.
Categories are spread by a low-discrepancy sequence, so even a small population holds every kind in about
the shares below. The mix, as shares of report rows:

====================  =====  =====================================================================
kind                  share  provider side (initial members) and what a first sync should do
====================  =====  =====================================================================
active                ~94%   95% hold a seat: 2% of those under an old last name and 1.5% under an
                             old email (updates); 5% have no member yet (invites)
terminated (past)     3%     40% still hold a seat (removals), 50% already removed, 10% never members;
                             a termination dated ``today`` counts as past
future termination    1.5%   hold a seat; nothing to do until the date passes
rehire                1%     no termination date; their member was removed earlier (re-invitation)
bad rows              0.2%   split evenly: missing employee_id, blank last_name, a 31-hex WID,
                             an impossible date (2024-02-30), a WID duplicating the previous row's;
                             each bad row's worker holds a seat, which the bad row must protect
====================  =====  =====================================================================

Besides, ``max(2, workers // 500)`` members are in no report row (gone: removals) and two members were
invited by hand, with no Workday identifiers (the connector must never touch them). With the defaults (5,000
workers) a first plan removes about 70 of some 4,700 members, well under the 10% removal guard.

Termination dates mix Workday's forms: plain (``2024-05-01``) and with a Pacific offset
(``2024-05-01-07:00``). About 85% of rows carry an email.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from sandbox.config import SandboxConfig
from sandbox.lumiq.member import LumiqMember
from sandbox.names import FIRST_NAMES, LAST_NAMES

ReportRow = dict[str, str | None]
"""A report row under canonical field names (``domain.workers.REPORT_FIELDS``); None is an empty field."""


class RowKind(StrEnum):
    ACTIVE = "active"
    TERMINATED = "terminated"
    FUTURE_TERMINATION = "future termination"
    REHIRE = "rehire"
    MISSING_EMPLOYEE_ID = "missing employee_id"
    BLANK_LAST_NAME = "blank last_name"
    BAD_WID = "bad wid"
    IMPOSSIBLE_DATE = "impossible date"
    DUPLICATE_WID = "duplicate wid"


BAD_KINDS = (
    RowKind.MISSING_EMPLOYEE_ID,
    RowKind.BLANK_LAST_NAME,
    RowKind.BAD_WID,
    RowKind.IMPOSSIBLE_DATE,
    RowKind.DUPLICATE_WID,
)


class MemberState(StrEnum):
    """How the provider holds the worker before the first sync."""

    NONE = "no member"
    SEAT = "holds a seat"
    SEAT_OLD_LAST_NAME = "holds a seat under an old last name"
    SEAT_OLD_EMAIL = "holds a seat under an old email"
    REMOVED = "removed"


_BAD_ROW_EVERY = 500  # one bad row in 500 (0.2%), the bad kinds taken in turn
# Cumulative upper bounds of the other kinds on the unit interval.
_KIND_BOUNDS = (
    (0.03, RowKind.TERMINATED),
    (0.045, RowKind.FUTURE_TERMINATION),
    (0.055, RowKind.REHIRE),
)
_GOLDEN = 0.6180339887498949  # (sqrt(5) - 1) / 2
_SILVER = 0.4142135623730951  # sqrt(2) - 1: rationally independent of _GOLDEN, so (u, v) fill the square
_ASCII_FOLD = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "'": "", " ": ""})


@dataclass(frozen=True, slots=True)
class PopulationWorker:
    """Row ``index`` of the report: the worker as they truly are, the kind of row, and their member state.
    ``reported_wid`` and ``reported_termination_date`` are what the row says (damaged on bad rows)."""

    index: int
    kind: RowKind
    member_state: MemberState
    wid: str
    reported_wid: str
    employee_id: str
    first_name: str
    last_name: str
    email: str | None
    reported_termination_date: str | None
    member_id: str
    old_last_name: str
    invited_days_ago: int
    removed_after_days: int
    today: date

    def report_row(self) -> ReportRow:
        return {
            "wid": self.reported_wid,
            "first_name": self.first_name,
            # Inferred: a blank name is written as whitespace; an empty one would be omitted like any empty field.
            "last_name": " " if self.kind is RowKind.BLANK_LAST_NAME else self.last_name,
            "employee_id": None if self.kind is RowKind.MISSING_EMPLOYEE_ID else self.employee_id,
            "termination_date": self.reported_termination_date,
            "email": self.email,
        }

    def initial_member(self) -> LumiqMember | None:
        if self.member_state is MemberState.NONE:
            return None
        invited_at = datetime.combine(self.today - timedelta(days=self.invited_days_ago), time(9, 0), UTC)
        removed = self.member_state is MemberState.REMOVED
        email = self.email
        if self.member_state is MemberState.SEAT_OLD_EMAIL:
            email = f"{_ascii(self.first_name)}.{_ascii(self.old_last_name)}@legacy.example"
        return LumiqMember(
            id=self.member_id,
            status="removed" if removed else ("invited" if self.invited_days_ago % 5 == 0 else "active"),
            first_name=self.first_name,
            last_name=self.old_last_name if self.member_state is MemberState.SEAT_OLD_LAST_NAME else self.last_name,
            email=email,
            workday_wid=self.wid,
            employee_id=self.employee_id,
            invited_at=invited_at,
            removed_at=invited_at + timedelta(days=self.removed_after_days) if removed else None,
        )


def worker_at(config: SandboxConfig, index: int) -> PopulationWorker:
    """Row ``index`` of the population of ``config`` (a pure function of the seed and the index)."""
    d = _digest(config.seed, "worker", index)
    kind = _kind(config.seed, index)
    v = (_phase(config.seed, "v") + index * _SILVER) % 1.0
    first, last = FIRST_NAMES[d[16] % len(FIRST_NAMES)], LAST_NAMES[d[17] % len(LAST_NAMES)]
    old_last = LAST_NAMES[(d[17] + 1 + d[18] % (len(LAST_NAMES) - 1)) % len(LAST_NAMES)]
    employee_id = str(100000 + index)
    wid = d[:16].hex()
    reported_wid = wid
    if kind is RowKind.BAD_WID:
        reported_wid = wid[:31]
    elif kind is RowKind.DUPLICATE_WID:
        other = index - 1 if index > 0 else index + 1
        reported_wid = _digest(config.seed, "worker", other)[:16].hex()
    return PopulationWorker(
        index=index,
        kind=kind,
        member_state=_member_state(kind, v),
        wid=wid,
        reported_wid=reported_wid,
        employee_id=employee_id,
        first_name=first,
        last_name=last,
        email=f"{_ascii(first)}.{_ascii(last)}.{employee_id}@{config.tenant}.example" if d[19] < 218 else None,
        reported_termination_date=_termination(kind, config.today, d),
        member_id=f"mem_{d[24:32].hex()}",
        old_last_name=old_last,
        invited_days_ago=60 + 3 * d[22],
        removed_after_days=1 + d[23] % 30,
        today=config.today,
    )


def report_rows(config: SandboxConfig) -> Iterator[ReportRow]:
    """The report's rows in order, generated one at a time."""
    for index in range(config.workers):
        yield worker_at(config, index).report_row()


def initial_members(config: SandboxConfig) -> Iterator[LumiqMember]:
    """The provider's members before the first sync: the workers' members in row order, then the gone
    members, then the members invited by hand."""
    for index in range(config.workers):
        member = worker_at(config, index).initial_member()
        if member is not None:
            yield member
    for k in range(gone_member_count(config)):
        yield gone_member(config, k)
    yield from manual_members(config)


def manual_members(config: SandboxConfig) -> tuple[LumiqMember, LumiqMember]:
    """The two members invited by hand in the provider, with no Workday identifiers."""
    invited_at = datetime.combine(config.today - timedelta(days=200), time(9, 0), UTC)
    return (
        LumiqMember("mem_manual00000001", "active", "Cora", "Byhand", "cora@partner.example", None, None, invited_at),
        LumiqMember("mem_manual00000002", "invited", "Theo", "Guest", None, None, None, invited_at),
    )


def gone_member_count(config: SandboxConfig) -> int:
    return max(2, config.workers // 500)


def gone_member(config: SandboxConfig, k: int) -> LumiqMember:
    """Gone member ``k``: a member whose employee ID is no worker's (no report row, no Workday worker)."""
    d = _digest(config.seed, "gone", k)
    return LumiqMember(
        id=f"mem_{d[24:32].hex()}",
        status="active",
        first_name=FIRST_NAMES[d[16] % len(FIRST_NAMES)],
        last_name=LAST_NAMES[d[17] % len(LAST_NAMES)],
        email=None,
        workday_wid=d[:16].hex(),
        employee_id=str(99999 - k),  # below every row's employee ID (100000 + index)
        invited_at=datetime.combine(config.today - timedelta(days=400), time(9, 0), UTC),
    )


def worker_by_employee_id(config: SandboxConfig, employee_id: str) -> PopulationWorker | None:
    """The worker, active or terminated, whose Employee ID is ``employee_id`` (``100000 + index``), or None."""
    if not employee_id.isdigit() or employee_id != employee_id.strip() or employee_id.startswith("0"):
        return None
    index = int(employee_id) - 100000
    return worker_at(config, index) if 0 <= index < config.workers else None


def worker_by_wid(config: SandboxConfig, wid: str) -> PopulationWorker | None:
    """The worker whose true WID is ``wid`` (lower-case hex), or None; the first call indexes the population."""
    index = _wid_index(config.seed, config.workers).get(wid.strip().lower())
    return None if index is None else worker_at(config, index)


@functools.lru_cache(maxsize=8)
def _wid_index(seed: int, workers: int) -> dict[str, int]:
    return {_digest(seed, "worker", index)[:16].hex(): index for index in range(workers)}


def _kind(seed: int, index: int) -> RowKind:
    turn, offset = divmod(index + int(_phase(seed, "bad") * _BAD_ROW_EVERY), _BAD_ROW_EVERY)
    if offset == 0:
        return BAD_KINDS[turn % len(BAD_KINDS)]
    u = (_phase(seed, "u") + index * _GOLDEN) % 1.0
    for high, kind in _KIND_BOUNDS:
        if u < high:
            return kind
    return RowKind.ACTIVE


def _member_state(kind: RowKind, v: float) -> MemberState:
    if kind is RowKind.ACTIVE:
        if v < 0.05:
            return MemberState.NONE
        if v < 0.07:
            return MemberState.SEAT_OLD_LAST_NAME
        if v < 0.085:
            return MemberState.SEAT_OLD_EMAIL
        return MemberState.SEAT
    if kind is RowKind.TERMINATED:
        if v < 0.4:
            return MemberState.SEAT
        return MemberState.REMOVED if v < 0.9 else MemberState.NONE
    if kind is RowKind.REHIRE:
        return MemberState.REMOVED
    return MemberState.SEAT


def _termination(kind: RowKind, today: date, d: bytes) -> str | None:
    days = int.from_bytes(d[20:22], "big")
    if kind is RowKind.TERMINATED:
        return _workday_date(today - timedelta(days=days % 700), with_offset=bool(d[21] & 1))
    if kind is RowKind.FUTURE_TERMINATION:
        return _workday_date(today + timedelta(days=1 + days % 90), with_offset=bool(d[21] & 1))
    if kind is RowKind.IMPOSSIBLE_DATE:
        return "2024-02-30"
    return None


def _workday_date(day: date, *, with_offset: bool) -> str:
    if not with_offset:
        return day.isoformat()
    # Pacific time, with daylight saving approximated by month: good enough for a synthetic tenant.
    return f"{day.isoformat()}{'-07:00' if 4 <= day.month <= 10 else '-08:00'}"


def _digest(seed: int, stream: str, index: int) -> bytes:
    return hashlib.blake2b(f"{seed}:{stream}:{index}".encode()).digest()


@functools.cache
def _phase(seed: int, stream: str) -> float:
    return int.from_bytes(_digest(seed, f"phase-{stream}", 0)[:8], "big") / 2**64


@functools.cache
def _ascii(name: str) -> str:
    """``name`` folded to ASCII for an email's local part: ``Ångström`` -> ``angstrom``."""
    return unicodedata.normalize("NFKD", name.translate(_ASCII_FOLD)).encode("ascii", "ignore").decode().lower()
