"""The provider's members, in memory: the rules of invitations, changes and removals, and idempotency keys."""

from __future__ import annotations

import base64
import binascii
import random
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from sandbox.clock import SandboxClock
from sandbox.lumiq.errors import LumiqApiError
from sandbox.lumiq.member import LumiqMember

IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600
_IDENTIFIERS = ("workday_wid", "employee_id")


@dataclass(frozen=True, slots=True)
class Invitation:
    first_name: str
    last_name: str
    email: str | None
    workday_wid: str
    employee_id: str


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: bytes
    expires_at: float


class MemberStore:
    """Members in a stable order (the order they were created in); thread-safe. Cursors are positions in
    that order, so a page never skips or repeats a member while others are invited."""

    def __init__(self, members: Iterable[LumiqMember], clock: SandboxClock, rng: random.Random) -> None:
        self._clock = clock
        self._rng = rng
        self._lock = threading.RLock()
        self._order: list[str] = []
        self._by_id: dict[str, LumiqMember] = {}
        self._ids_by: dict[str, defaultdict[str, set[str]]] = {name: defaultdict(set) for name in _IDENTIFIERS}
        self._responses: dict[str, StoredResponse] = {}
        for member in members:
            self._add(member)

    def members(self) -> list[LumiqMember]:
        """Every member, removed ones included, in the store's order."""
        with self._lock:
            return [self._by_id[member_id] for member_id in self._order]

    def get(self, member_id: str) -> LumiqMember:
        with self._lock:
            member = self._by_id.get(member_id)
        if member is None:
            raise LumiqApiError(404, f"no member {member_id}")
        return member

    def page(self, limit: int, cursor: str | None) -> tuple[list[LumiqMember], str | None]:
        with self._lock:
            start = 0 if cursor is None else self._position(cursor)
            ids = self._order[start : start + limit]
            end = start + len(ids)
            next_cursor = _cursor(end) if end < len(self._order) else None
            return [self._by_id[member_id] for member_id in ids], next_cursor

    def invite(self, invitation: Invitation) -> tuple[int, LumiqMember]:
        """201 and a new member, or 200 and a removed member reinstated (matched by WID, then employee ID)."""
        with self._lock:
            wanted = {"workday_wid": invitation.workday_wid, "employee_id": invitation.employee_id}
            self._refuse_seat_holders(wanted, except_id=None)
            removed = self._removed_match(wanted)
            member = LumiqMember(
                id=self._new_id() if removed is None else removed.id,
                status="invited",
                first_name=invitation.first_name,
                last_name=invitation.last_name,
                email=invitation.email,
                workday_wid=invitation.workday_wid,
                employee_id=invitation.employee_id,
                invited_at=self._clock.now_datetime(),
            )
            if removed is not None:
                self._put(removed, member)
                return 200, member
            self._add(member)
            return 201, member

    def update(self, member_id: str, changes: Mapping[str, str | None]) -> LumiqMember:
        with self._lock:
            member = self.get(member_id)
            self._refuse_seat_holders({k: v for k, v in changes.items() if k in _IDENTIFIERS}, except_id=member_id)
            updated = replace(member, **changes)  # type: ignore[arg-type]  # keys are checked by the endpoint
            self._put(member, updated)
            return updated

    def remove(self, member_id: str) -> LumiqMember:
        with self._lock:
            member = self.get(member_id)
            if not member.has_seat:
                return member
            removed = replace(member, status="removed", removed_at=self._clock.now_datetime())
            self._put(member, removed)
            return removed

    def once(self, key: str | None, act: Callable[[], tuple[int, bytes]]) -> tuple[int, bytes]:
        """The response of ``act``; with an idempotency ``key`` seen in the last 24 hours, the first response
        for that key instead, without acting again."""
        if key is None:
            return act()
        with self._lock:
            now = self._clock.now()
            stored = self._responses.get(key)
            if stored is not None and stored.expires_at > now:
                return stored.status, stored.body
            status, body = act()
            if status < 500:
                self._responses[key] = StoredResponse(status, body, now + IDEMPOTENCY_WINDOW_SECONDS)
            return status, body

    def _refuse_seat_holders(self, identifiers: Mapping[str, str | None], except_id: str | None) -> None:
        for name, value in identifiers.items():
            if value is None:
                continue
            for other_id in self._ids_by[name].get(value, ()):
                if other_id != except_id and self._by_id[other_id].has_seat:
                    raise LumiqApiError(409, f"a member with a seat already has {name} {value}", name)

    def _removed_match(self, identifiers: Mapping[str, str | None]) -> LumiqMember | None:
        for name in _IDENTIFIERS:
            value = identifiers.get(name)
            candidates = sorted(self._ids_by[name].get(value, ())) if value is not None else []
            for member_id in candidates:
                if not self._by_id[member_id].has_seat:
                    return self._by_id[member_id]
        return None

    def _add(self, member: LumiqMember) -> None:
        if member.id in self._by_id:
            raise ValueError(f"duplicate member id {member.id}")
        self._order.append(member.id)
        self._by_id[member.id] = member
        self._index(member, add=True)

    def _put(self, before: LumiqMember, after: LumiqMember) -> None:
        self._index(before, add=False)
        self._by_id[after.id] = after
        self._index(after, add=True)

    def _index(self, member: LumiqMember, *, add: bool) -> None:
        for name in _IDENTIFIERS:
            value = getattr(member, name)
            if value is None:
                continue
            if add:
                self._ids_by[name][value].add(member.id)
            else:
                self._ids_by[name][value].discard(member.id)

    def _new_id(self) -> str:
        while True:
            member_id = f"mem_{self._rng.getrandbits(64):016x}"
            if member_id not in self._by_id:
                return member_id

    def _position(self, cursor: str) -> int:
        try:
            kind, _, position = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
            start = int(position)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise LumiqApiError(422, "not a cursor this API returned", "cursor") from None
        if kind != "after" or not 0 < start <= len(self._order):
            raise LumiqApiError(422, "not a cursor this API returned", "cursor")
        return start


def _cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"after:{position}".encode()).decode()
