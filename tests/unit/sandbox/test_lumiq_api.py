from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from sandbox import SandboxServer
from tests.unit.sandbox.conftest import lumiq_headers

NEW_WID = "0123456789abcdef0123456789abcdef"


def _invitation(**overrides: Any) -> dict[str, Any]:
    body = {"first_name": "Ada", "last_name": "Lovelace", "email": None, "workday_wid": NEW_WID, "employee_id": "E1"}
    return {**body, **overrides}


def _invite(
    server: SandboxServer, client: httpx.Client, body: dict[str, Any], key: str | None = None
) -> httpx.Response:
    headers = lumiq_headers(server) | ({"Idempotency-Key": key} if key else {})
    return client.post(f"{server.lumiq_url}/v1/members/invitations", json=body, headers=headers)


def test_members_are_listed_page_by_page_in_a_stable_order(sandbox: SandboxServer, client: httpx.Client) -> None:
    seen: list[str] = []
    params: dict[str, str | int] = {"limit": 50}
    while True:
        page = client.get(f"{sandbox.lumiq_url}/v1/members", params=params, headers=lumiq_headers(sandbox)).json()
        seen += [member["id"] for member in page["data"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == [member.id for member in sandbox.lumiq.members()]
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(("params", "field"), [({"cursor": "garbage"}, "cursor"), ({"limit": 1001}, "limit")])
def test_a_bad_cursor_or_limit_is_invalid(
    sandbox: SandboxServer, client: httpx.Client, params: dict[str, str | int], field: str
) -> None:
    response = client.get(f"{sandbox.lumiq_url}/v1/members", params=params, headers=lumiq_headers(sandbox))
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid",
        "message": response.json()["error"]["message"],
        "field": field,
    }


def test_an_unknown_key_is_unauthorized(sandbox: SandboxServer, client: httpx.Client) -> None:
    response = client.get(f"{sandbox.lumiq_url}/v1/members", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_an_invitation_creates_an_invited_member(sandbox: SandboxServer, client: httpx.Client) -> None:
    response = _invite(sandbox, client, _invitation())
    assert response.status_code == 201
    member = response.json()
    assert member["status"] == "invited"
    assert member["workday_wid"] == NEW_WID
    assert member["removed_at"] is None
    assert sandbox.lumiq.get(member["id"]).employee_id == "E1"


def test_inviting_a_removed_member_reinstates_it(sandbox: SandboxServer, client: httpx.Client) -> None:
    removed = next(m for m in sandbox.lumiq.members() if m.status == "removed" and m.workday_wid)
    response = _invite(sandbox, client, _invitation(workday_wid=removed.workday_wid, employee_id=removed.employee_id))
    assert response.status_code == 200
    assert response.json()["id"] == removed.id
    assert response.json()["status"] == "invited"


def test_inviting_a_worker_who_holds_a_seat_is_a_conflict(sandbox: SandboxServer, client: httpx.Client) -> None:
    seated = next(m for m in sandbox.lumiq.members() if m.has_seat and m.workday_wid)
    response = _invite(sandbox, client, _invitation(workday_wid=seated.workday_wid))
    assert response.status_code == 409
    assert response.json()["error"]["field"] == "workday_wid"
    response = _invite(sandbox, client, _invitation(employee_id=seated.employee_id))
    assert response.json()["error"] == {
        "code": "conflict",
        "message": response.json()["error"]["message"],
        "field": "employee_id",
    }


@pytest.mark.parametrize(
    ("override", "field"),
    [({"last_name": " "}, "last_name"), ({"workday_wid": NEW_WID[:31]}, "workday_wid"), ({"email": "nope"}, "email")],
)
def test_an_invalid_invitation_names_the_field(
    sandbox: SandboxServer, client: httpx.Client, override: dict[str, str], field: str
) -> None:
    response = _invite(sandbox, client, _invitation(**override))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_a_repeated_idempotency_key_returns_the_first_response(sandbox: SandboxServer, client: httpx.Client) -> None:
    key = str(uuid.uuid4())
    first = _invite(sandbox, client, _invitation(), key)
    again = _invite(sandbox, client, _invitation(), key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert sum(1 for m in sandbox.lumiq.members() if m.workday_wid == NEW_WID) == 1
    assert _invite(sandbox, client, _invitation(), str(uuid.uuid4())).status_code == 409


def test_a_member_is_changed_by_patch(sandbox: SandboxServer, client: httpx.Client) -> None:
    member = next(m for m in sandbox.lumiq.members() if m.has_seat and m.workday_wid)
    url = f"{sandbox.lumiq_url}/v1/members/{member.id}"
    response = client.patch(
        url, json={"last_name": "Byron", "email": "ada@example.com"}, headers=lumiq_headers(sandbox)
    )
    assert response.status_code == 200
    assert response.json()["last_name"] == "Byron"
    assert sandbox.lumiq.get(member.id).email == "ada@example.com"
    other = next(m for m in sandbox.lumiq.members() if m.has_seat and m.workday_wid and m.id != member.id)
    conflict = client.patch(url, json={"workday_wid": other.workday_wid}, headers=lumiq_headers(sandbox))
    assert conflict.status_code == 409
    unknown = client.patch(f"{sandbox.lumiq_url}/v1/members/mem_nope", json={}, headers=lumiq_headers(sandbox))
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"


def test_removing_a_member_is_idempotent(sandbox: SandboxServer, client: httpx.Client) -> None:
    member = next(m for m in sandbox.lumiq.members() if m.has_seat)
    url = f"{sandbox.lumiq_url}/v1/members/{member.id}"
    first = client.delete(url, headers=lumiq_headers(sandbox))
    again = client.delete(url, headers=lumiq_headers(sandbox))
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["status"] == "removed"
    assert first.json()["removed_at"] is not None


def test_members_invited_by_hand_carry_no_workday_identifiers(sandbox: SandboxServer) -> None:
    manual = [m for m in sandbox.lumiq.members() if m.workday_wid is None and m.employee_id is None]
    assert len(manual) == 2
