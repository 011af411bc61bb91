"""Membership planning: the pure step between reading the report and changing the provider's members.

The rules, in the order they apply:
1. Every row is a valid worker or a malformed row. Rows that share a WID or an employee ID are all rejected:
   the report does not say which one is right, so none is acted on.
2. Members are matched to workers by WID first, then by employee ID (only members whose WID is absent or on
   no row: a WID the report knows says who the member is). Only members tied to a worker
   (``Member.is_synced``) and holding a seat (``Member.has_access``) take part. A member matched by WID takes
   its row's employee ID, freeing the one it held for the row that now carries it.
3. A matched worker whose termination date is on or before ``today`` is removed; otherwise the member is
   updated when its names, email or identifiers differ. A future termination date keeps access until then.
4. An unmatched worker who is not terminated is invited; a rehired worker whose old member was removed is
   invited again.
5. A member whose WID or employee ID appears on no row is removed as gone. A member whose identifier is on a
   rejected row is left alone: bad data never causes a removal. A second member carrying a terminated
   worker's WID (or, lacking a WID, employee ID) loses its seat too: it is the same person.
6. The removal guard (``removal_guard``) judges the whole plan.

The plan does not depend on the order of rows or members, and planning again after applying it yields a plan
with no actions. It is applied in phases, ``removals``, then ``updates``, then ``invites``, so that an
identifier a removal or an update frees is free before an invite reuses it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import attrgetter

from domain.members import Member, MemberStatus
from domain.removal_guard import GuardVerdict, RemovalPolicy, judge_removals
from domain.workers import MalformedRow, ReportEntry, Worker


class RemovalReason(StrEnum):
    TERMINATED = "terminated"
    NOT_IN_REPORT = "not in report"


@dataclass(frozen=True, slots=True)
class Invite:
    worker: Worker

    @property
    def why(self) -> str:
        return "active worker with no member"


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class Update:
    member: Member
    worker: Worker
    changes: tuple[FieldChange, ...]

    @property
    def why(self) -> str:
        return "; ".join(f"{c.field} {c.before or '(none)'} -> {c.after or '(none)'}" for c in self.changes)


@dataclass(frozen=True, slots=True)
class Removal:
    member: Member
    reason: RemovalReason
    termination_date: date | None = None

    @property
    def why(self) -> str:
        if self.reason is RemovalReason.TERMINATED:
            return f"terminated on {self.termination_date}"
        return "no longer in the report"


MembershipAction = Invite | Update | Removal


@dataclass(frozen=True, slots=True)
class MembershipPlan:
    invites: tuple[Invite, ...]
    updates: tuple[Update, ...]
    removals: tuple[Removal, ...]
    rejected: tuple[MalformedRow, ...]
    report_rows: int
    current_members: int
    verdict: GuardVerdict

    @property
    def actions(self) -> tuple[MembershipAction, ...]:
        """Every action, in the order of the phases they must be applied in."""
        return (*self.removals, *self.updates, *self.invites)

    @property
    def phases(self) -> tuple[tuple[MembershipAction, ...], ...]:
        """Removals, then updates, then invites: each phase must finish before the next starts."""
        return (self.removals, self.updates, self.invites)

    @property
    def is_empty(self) -> bool:
        """No action to take; rejected rows are reported but are not actions."""
        return not self.actions

    @property
    def blocked(self) -> bool:
        return self.verdict.blocked


def plan_membership(
    entries: Iterable[ReportEntry],
    members: Iterable[Member],
    today: date,
    policy: RemovalPolicy | None = None,
) -> MembershipPlan:
    """The plan that brings ``members`` in line with the report ``entries`` (one per row, in report order)
    as of ``today``, the tenant's local date. Members holding a seat never share a WID or an employee ID:
    the provider refuses that (``MemberRegistry``), so the plan takes it as given."""
    workers, rejected = _split(entries)
    report_rows = len(workers) + len(rejected)
    workers, duplicates = _reject_duplicates(workers)
    rejected.extend(duplicates)

    plain = [w for _, w in workers]
    seen_wids = set(map(_WID, plain)) | {r.wid for r in rejected if r.wid is not None}
    seen_employee_ids = set(map(_NUMBER, plain)) | {r.employee_id for r in rejected if r.employee_id is not None}
    # Member.is_synced and Member.has_access, inlined: this runs once per member of a large organisation.
    current = [
        m for m in members if m.status is not MemberStatus.REMOVED and (m.wid is not None or m.employee_id is not None)
    ]
    matches, unmatched = _match(workers, current, seen_wids)

    invites = [Invite(w) for w in unmatched if not w.is_terminated_on(today)]
    updates: list[Update] = []
    removals: list[Removal] = []
    for worker, member in matches:
        if worker.is_terminated_on(today):
            removals.append(Removal(member, RemovalReason.TERMINATED, worker.termination_date))
        elif changes := _changes(member, worker):
            updates.append(Update(member, worker, changes))
    claimed = {member.id for _, member in matches}
    leaving_by_wid = {w.wid: w.termination_date for _, w in workers if w.is_terminated_on(today)}
    leaving_by_number = {w.employee_id: w.termination_date for _, w in workers if w.is_terminated_on(today)}
    for member in current:
        if member.id in claimed:
            continue
        if member.wid is not None and member.wid in seen_wids:
            if member.wid in leaving_by_wid:
                removals.append(Removal(member, RemovalReason.TERMINATED, leaving_by_wid[member.wid]))
        elif member.employee_id is not None and member.employee_id in seen_employee_ids:
            if member.employee_id in leaving_by_number:
                removals.append(Removal(member, RemovalReason.TERMINATED, leaving_by_number[member.employee_id]))
        else:
            removals.append(Removal(member, RemovalReason.NOT_IN_REPORT))

    return MembershipPlan(
        invites=tuple(sorted(invites, key=lambda i: (i.worker.employee_id, i.worker.wid))),
        updates=tuple(sorted(updates, key=lambda u: u.member.id)),
        removals=tuple(sorted(removals, key=lambda r: r.member.id)),
        rejected=tuple(sorted(rejected, key=lambda r: (r.row_number, r.field))),
        report_rows=report_rows,
        current_members=len(current),
        verdict=judge_removals(len(removals), len(current), report_rows, policy or RemovalPolicy()),
    )


_NumberedWorker = tuple[int, Worker]
_WID = attrgetter("wid")
_NUMBER = attrgetter("employee_id")


def _split(entries: Iterable[ReportEntry]) -> tuple[list[_NumberedWorker], list[MalformedRow]]:
    numbered = list(enumerate(entries, start=1))
    workers = [(row, entry) for row, entry in numbered if type(entry) is Worker]
    rejected = [entry for _, entry in numbered if type(entry) is MalformedRow]
    return workers, rejected


def _reject_duplicates(workers: list[_NumberedWorker]) -> tuple[list[_NumberedWorker], list[MalformedRow]]:
    plain = [w for _, w in workers]
    wid_counts = Counter(map(_WID, plain))
    number_counts = Counter(map(_NUMBER, plain))
    shared_wids = {wid for wid, count in wid_counts.items() if count > 1}
    shared_numbers = {number for number, count in number_counts.items() if count > 1}
    if not shared_wids and not shared_numbers:
        return workers, []
    rows_by_wid: defaultdict[str, list[int]] = defaultdict(list)
    rows_by_employee_id: defaultdict[str, list[int]] = defaultdict(list)
    for row, worker in workers:
        if worker.wid in shared_wids:
            rows_by_wid[worker.wid].append(row)
        if worker.employee_id in shared_numbers:
            rows_by_employee_id[worker.employee_id].append(row)
    kept: list[_NumberedWorker] = []
    rejected: list[MalformedRow] = []
    for row, worker in workers:
        if worker.wid in shared_wids:
            field, rows = "wid", rows_by_wid[worker.wid]
        elif worker.employee_id in shared_numbers:
            field, rows = "employee_id", rows_by_employee_id[worker.employee_id]
        else:
            kept.append((row, worker))
            continue
        others = ", ".join(str(r) for r in rows if r != row)
        reason = f"duplicate {field} {getattr(worker, field)}, also on row {others}"
        rejected.append(MalformedRow(row, field, reason, worker.wid, worker.employee_id))
    return kept, rejected


def _match(
    workers: list[_NumberedWorker], current: list[Member], report_wids: set[str]
) -> tuple[list[tuple[Worker, Member]], list[Worker]]:
    """Pairs workers with members: every WID match first, then employee-ID matches among the members left,
    so the pairing does not depend on row order. A member whose WID is on the report (on any row) is that
    worker, so only members with no WID or a WID the report does not know are matched by employee ID. A member
    paired by WID takes its row's employee ID, so an employee ID it held before is free for the row that now
    carries it: that worker is unmatched."""
    by_wid = _index(current, _WID)
    by_employee_id = _index([m for m in current if m.wid is None or m.wid not in report_wids], _NUMBER)

    matches: list[tuple[Worker, Member]] = []
    claimed: set[str] = set()
    waiting: list[Worker] = []
    for _, worker in workers:
        by_id = by_wid.get(worker.wid)
        if by_id is None:
            waiting.append(worker)
        else:
            matches.append((worker, by_id))
            claimed.add(by_id.id)

    unmatched: list[Worker] = []
    for worker in waiting:
        by_number = by_employee_id.get(worker.employee_id)
        if by_number is None or by_number.id in claimed:
            unmatched.append(worker)
        else:
            matches.append((worker, by_number))
            claimed.add(by_number.id)
    return matches, unmatched


def _index(members: list[Member], key: Callable[[Member], str | None]) -> dict[str, Member]:
    """Members by ``key``. Where members share an identifier (the provider should not allow it) the lowest
    member id wins, so the pairing does not depend on the order members were listed in."""
    keyed = [(k, m) for m in members if (k := key(m)) is not None]
    index = dict(keyed)
    if len(index) != len(keyed):
        index = {}
        for k, member in keyed:
            held = index.get(k)
            if held is None or member.id < held.id:
                index[k] = member
    return index


def _changes(member: Member, worker: Worker) -> tuple[FieldChange, ...]:
    if (
        member.last_name == worker.last_name
        and member.first_name == worker.first_name
        and member.wid == worker.wid
        and member.employee_id == worker.employee_id
        and (worker.email is None or member.email == worker.email)
    ):
        return ()
    pairs: list[tuple[str, str | None, str | None]] = [
        ("first_name", member.first_name, worker.first_name),
        ("last_name", member.last_name, worker.last_name),
        ("wid", member.wid, worker.wid),
        ("employee_id", member.employee_id, worker.employee_id),
    ]
    # A report without an email column says nothing about email: it never clears the provider's.
    if worker.email is not None:
        pairs.append(("email", member.email, worker.email))
    return tuple(FieldChange(f, before, after) for f, before, after in pairs if before != after)
