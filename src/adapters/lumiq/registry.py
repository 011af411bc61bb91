"""The LumiQ member registry: the ``MemberRegistry`` port over LumiQ's HTTP API (docs/lumiq-api.md)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Mapping
from urllib.parse import quote

import httpx
from pydantic import SecretStr, ValidationError
from returns.result import Failure, Result, Success

from adapters.lumiq.connection import LumiqConnection
from adapters.lumiq.errors import LumiqGaveUp, LumiqInvalidMember, LumiqUnavailable
from adapters.lumiq.wire import WireInvitation, WirePage, WirePatch, member_from_wire
from adapters.retries import RetryPolicy, Sleep
from domain.members import Member
from domain.membership_plan import FieldChange
from domain.ports.member_registry import MemberRegistry
from domain.workers import Worker

_MEMBERS = "/v1/members"
_MAX_PAGE_SIZE = 1000


class LumiqMemberRegistry(MemberRegistry):
    """One organisation's LumiQ members. ``client`` carries the organisation's base URL (e.g.
    ``http://127.0.0.1:8000/lumiq``) and its timeouts; ``api_key`` is sent as a bearer token and appears in no
    repr, log or message. ``sleep`` is what waits between retries (tests pass a recorder)."""

    def __init__(
        self,
        client: httpx.Client,
        api_key: SecretStr,
        page_size: int = 500,
        retry: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        if not 1 <= page_size <= _MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be 1 to {_MAX_PAGE_SIZE}, not {page_size}")
        self._lumiq = LumiqConnection(client, api_key, retry, sleep)
        self._page_size = page_size

    def __repr__(self) -> str:
        return f"LumiqMemberRegistry(base_url={self._lumiq.base_url!r}, page_size={self._page_size})"

    def members(self) -> Iterator[Member]:
        """Streams the list page by page; raises ``LumiqUnavailable`` (a ``RegistryUnavailable``) if any
        page cannot be read or holds an invalid member."""
        cursor: str | None = None
        while True:
            page = self._page(cursor)
            yield from [member_from_wire(raw) for raw in page.data]
            if page.next_cursor is None:
                return
            if page.next_cursor == cursor:
                raise LumiqUnavailable(f"LumiQ returned cursor {cursor!r} again; the member list would never end")
            cursor = page.next_cursor

    def invite(self, worker: Worker) -> Result[Member, str]:
        # One key per logical invite, reused by every retry, so LumiQ creates the member at most once.
        idempotency_key = str(uuid.uuid4())
        return self._act(
            f"worker {worker.employee_id}",
            {200, 201},
            "POST",
            f"{_MEMBERS}/invitations",
            body=WireInvitation.from_worker(worker).model_dump(),
            headers={"Idempotency-Key": idempotency_key},
        )

    def update(self, member: Member, changes: tuple[FieldChange, ...]) -> Result[Member, str]:
        body = WirePatch.from_changes(changes).body()
        return self._act(_subject(member), {200}, "PATCH", _member_path(member), body=body)

    def remove(self, member: Member) -> Result[Member, str]:
        return self._act(_subject(member), {200}, "DELETE", _member_path(member))

    def _page(self, cursor: str | None) -> WirePage:
        params: dict[str, str | int] = {"limit": self._page_size}
        if cursor is not None:
            params["cursor"] = cursor
        try:
            response = self._lumiq.send("GET", _MEMBERS, params=params)
        except LumiqGaveUp as gave_up:
            reason = self._lumiq.scrub(str(gave_up))
            raise LumiqUnavailable(f"the LumiQ member list could not be read: {reason}") from gave_up
        if response.status_code != httpx.codes.OK:
            raise LumiqUnavailable(f"the LumiQ member list could not be read: {self._lumiq.refusal(response)}")
        try:
            return WirePage.model_validate_json(response.content)
        except ValidationError as invalid:
            problem = invalid.errors()[0]
            where = ".".join(str(part) for part in problem["loc"]) or "body"
            raise LumiqUnavailable(
                f"LumiQ sent a member page that is not the documented shape: {where}: {problem['msg']}"
            ) from None

    def _act(
        self,
        subject: str,
        expected: set[int],
        method: str,
        path: str,
        *,
        body: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Result[Member, str]:
        try:
            response = self._lumiq.send(method, path, body=body, headers=headers)
        except LumiqGaveUp as gave_up:
            return Failure(f"{subject}: {self._lumiq.scrub(str(gave_up))}")
        if response.status_code not in expected:
            return Failure(f"{subject}: {self._lumiq.refusal(response)}")
        try:
            return Success(member_from_wire(response.json()))
        except ValueError:
            return Failure(f"{subject}: LumiQ answered {response.status_code} with a body that is not JSON")
        except LumiqInvalidMember as invalid:
            return Failure(f"{subject}: LumiQ answered {response.status_code} with {invalid}")


def _subject(member: Member) -> str:
    if member.employee_id is None:
        return f"member {member.id}"
    return f"member {member.id} (employee {member.employee_id})"


def _member_path(member: Member) -> str:
    return f"{_MEMBERS}/{quote(member.id, safe='')}"
