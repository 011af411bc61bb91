from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from returns.result import Failure, Result, Success

from domain.members import Member, MemberStatus
from domain.membership_plan import FieldChange
from domain.ports.member_registry import MemberRegistry
from domain.workers import Worker


class InMemoryMemberRegistry(MemberRegistry):
    """The provider's members in a dict, with the same rules as docs/lumiq-api.md: a removed member with the
    same WID (or employee ID) is reinstated by an invite, and two members with a seat never share an
    identifier. ``refuse`` holds employee IDs whose actions the provider refuses, to exercise failures."""

    def __init__(self, members: Iterable[Member] = (), refuse: Iterable[str] = ()) -> None:
        self.by_id: dict[str, Member] = {m.id: m for m in members}
        self.refuse = set(refuse)
        self._ids = itertools.count(len(self.by_id) + 1)

    def members(self) -> Iterator[Member]:
        yield from sorted(self.by_id.values(), key=lambda m: m.id)

    def invite(self, worker: Worker) -> Result[Member, str]:
        if worker.employee_id in self.refuse:
            return Failure(f"worker {worker.employee_id}: the provider refused the invitation")
        for field, value in (("wid", worker.wid), ("employee_id", worker.employee_id)):
            if any(getattr(m, field) == value and m.has_access for m in self.by_id.values()):
                return Failure(f"worker {worker.employee_id}: {field}: a member with a seat already has {value}")
        previous = self._removed_match(worker)
        member = Member(
            id=previous.id if previous else f"mem_{next(self._ids):06d}",
            status=MemberStatus.INVITED,
            first_name=worker.first_name,
            last_name=worker.last_name,
            wid=worker.wid,
            employee_id=worker.employee_id,
            email=worker.email if worker.email is not None else (previous.email if previous else None),
        )
        self.by_id[member.id] = member
        return Success(member)

    def update(self, member: Member, changes: tuple[FieldChange, ...]) -> Result[Member, str]:
        current = self.by_id.get(member.id)
        if current is None:
            return Failure(f"member {member.id}: not found")
        if current.employee_id in self.refuse:
            return Failure(f"member {member.id}: the provider refused the update")
        values: dict[str, Any] = {change.field: change.after for change in changes}
        updated = replace(current, **values)
        self.by_id[member.id] = updated
        return Success(updated)

    def remove(self, member: Member) -> Result[Member, str]:
        current = self.by_id.get(member.id)
        if current is None:
            return Failure(f"member {member.id}: not found")
        if current.employee_id in self.refuse:
            return Failure(f"member {member.id}: the provider refused the removal")
        removed = replace(current, status=MemberStatus.REMOVED)
        self.by_id[member.id] = removed
        return Success(removed)

    def _removed_match(self, worker: Worker) -> Member | None:
        removed = [m for m in self.by_id.values() if not m.has_access]
        return next((m for m in removed if m.wid == worker.wid), None) or next(
            (m for m in removed if m.employee_id == worker.employee_id), None
        )
