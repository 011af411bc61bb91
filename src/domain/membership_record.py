"""A membership plan as the run ledger keeps it. Each action becomes an ``ActionRecord`` whose ``detail`` holds the
action as data (JSON types only), so that a plan the removal guard blocked can be applied later exactly as it was
planned, once an operator approves it, and never re-planned from a report that may have changed meanwhile. A
rejected report row is kept too, with its row number and field, for people to read; it is never applied."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from domain.errors import InvalidValue
from domain.members import Member, MemberStatus
from domain.membership_plan import FieldChange, Invite, MembershipAction, Removal, RemovalReason, Update
from domain.runs import ActionRecord, ActionResult
from domain.workers import MalformedRow, Worker

ACTION_KINDS: dict[type[MembershipAction], str] = {Invite: "invite", Update: "update", Removal: "remove"}
"""The ledger's ``kind`` of each membership action."""
REJECTED_ROW = "reject"
"""The ledger's ``kind`` of a rejected report row."""


def subject_of(action: MembershipAction) -> str:
    """Who an action is about, as the ledger names them."""
    match action:
        case Invite(worker=worker):
            return f"employee {worker.employee_id} ({worker.first_name} {worker.last_name})"
        case Update(member=member) | Removal(member=member):
            return f"member {member.id} (employee {member.employee_id})"
    raise AssertionError(f"unreachable: {action!r}")  # pragma: no cover


def planned_record(action: MembershipAction, at: datetime) -> ActionRecord:
    """The action as a blocked plan keeps it: planned, not applied, with the action as data."""
    return ActionRecord(
        ACTION_KINDS[type(action)],
        subject_of(action),
        action.why,
        at,
        ActionResult.PLANNED,
        detail=action_detail(action),
    )


def rejected_row_record(row: MalformedRow, at: datetime) -> ActionRecord:
    """A rejected report row: its number, the field at fault and why, and whatever identifiers it carried."""
    detail: dict[str, object] = {
        "row": row.row_number,
        "field": row.field,
        "reason": row.reason,
        "wid": row.wid,
        "employee_id": row.employee_id,
    }
    return ActionRecord(
        REJECTED_ROW, f"row {row.row_number}", f"{row.field}: {row.reason}", at, ActionResult.REJECTED, detail=detail
    )


def action_detail(action: MembershipAction) -> dict[str, object]:
    match action:
        case Invite(worker=worker):
            return {"worker": _worker(worker)}
        case Update(member=member, worker=worker, changes=changes):
            listed = [{"field": c.field, "before": c.before, "after": c.after} for c in changes]
            return {"member": _member(member), "worker": _worker(worker), "changes": listed}
        case Removal(member=member, reason=reason, termination_date=ended):
            return {"member": _member(member), "reason": reason.value, "termination_date": _iso(ended)}
    raise AssertionError(f"unreachable: {action!r}")  # pragma: no cover


def planned_action(record: ActionRecord) -> MembershipAction:
    """The action a planned record keeps; raises ``InvalidValue`` naming the field (``detail.member.id``, say)
    of a record that does not hold one, so a damaged record is refused rather than applied as something else."""
    detail = record.detail
    if detail is None:
        raise InvalidValue("detail", f"the {record.kind} of {record.subject} keeps no action to apply")
    match record.kind:
        case "invite":
            return Invite(_as_worker(_section(detail, "worker")))
        case "update":
            changes = tuple(
                FieldChange(
                    _text(change, "field", f"detail.changes[{n}]"),
                    _optional(change, "before", f"detail.changes[{n}]"),
                    _optional(change, "after", f"detail.changes[{n}]"),
                )
                for n, change in enumerate(_sections(detail, "changes"))
            )
            return Update(_as_member(_section(detail, "member")), _as_worker(_section(detail, "worker")), changes)
        case "remove":
            reason = _text(detail, "reason", "detail")
            ended = _optional(detail, "termination_date", "detail")
            try:
                why = RemovalReason(reason)
                termination = None if ended is None else date.fromisoformat(ended)
            except ValueError:
                raise InvalidValue("detail", f"{reason!r} or {ended!r} is not a removal's reason and date") from None
            return Removal(_as_member(_section(detail, "member")), why, termination)
    raise InvalidValue("kind", f"{record.kind!r} is not a membership action")


def _worker(worker: Worker) -> dict[str, object]:
    return {
        "wid": worker.wid,
        "employee_id": worker.employee_id,
        "first_name": worker.first_name,
        "last_name": worker.last_name,
        "termination_date": _iso(worker.termination_date),
        "email": worker.email,
    }


def _member(member: Member) -> dict[str, object]:
    return {
        "id": member.id,
        "status": member.status.value,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "wid": member.wid,
        "employee_id": member.employee_id,
        "email": member.email,
    }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _as_worker(data: Mapping[str, object]) -> Worker:
    where = "detail.worker"
    ended = _optional(data, "termination_date", where)
    try:
        return Worker(
            wid=_text(data, "wid", where),
            employee_id=_text(data, "employee_id", where),
            first_name=_text(data, "first_name", where),
            last_name=_text(data, "last_name", where),
            termination_date=None if ended is None else date.fromisoformat(ended),
            email=_optional(data, "email", where),
        )
    except InvalidValue as bad:
        raise InvalidValue(f"{where}.{bad.field}", bad.message) from None
    except ValueError:
        raise InvalidValue(f"{where}.termination_date", f"{ended!r} is not a date") from None


def _as_member(data: Mapping[str, object]) -> Member:
    where = "detail.member"
    status = _text(data, "status", where)
    try:
        return Member(
            id=_text(data, "id", where),
            status=MemberStatus(status),
            first_name=_text(data, "first_name", where),
            last_name=_text(data, "last_name", where),
            wid=_optional(data, "wid", where),
            employee_id=_optional(data, "employee_id", where),
            email=_optional(data, "email", where),
        )
    except InvalidValue as bad:
        raise InvalidValue(f"{where}.{bad.field}", bad.message) from None
    except ValueError:
        raise InvalidValue(f"{where}.status", f"{status!r} is not a member status") from None


def _section(data: Mapping[str, object], key: str) -> Mapping[str, object]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise InvalidValue(f"detail.{key}", "is missing")
    return value


def _sections(data: Mapping[str, object], key: str) -> list[Mapping[str, object]]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise InvalidValue(f"detail.{key}", "is not a list of objects")
    return value


def _text(data: Mapping[str, object], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise InvalidValue(f"{where}.{key}", "is missing or not text")
    return value


def _optional(data: Mapping[str, object], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidValue(f"{where}.{key}", "is not text")
    return value
