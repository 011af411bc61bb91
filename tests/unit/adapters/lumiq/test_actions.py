"""Inviting, updating and removing members: each answer of LumiQ's, as a ``Success`` or a ``Failure``."""

from __future__ import annotations

import uuid

import httpx
import pytest
from returns.result import Failure, Success

from domain.members import MemberStatus
from domain.membership_plan import FieldChange
from tests.unit.adapters.lumiq.scripted import (
    ScriptedLumiq,
    a_worker,
    domain_member,
    refusal,
    registry_for,
    wire_member,
)


@pytest.mark.parametrize("status", [201, 200])
def test_an_invitation_or_a_reinstatement_is_the_member_in_status_invited(status: int) -> None:
    lumiq = ScriptedLumiq(httpx.Response(status, json=wire_member(1, status="invited")))
    registry, _ = registry_for(lumiq)

    result = registry.invite(a_worker(1))

    assert result == Success(domain_member(1, status=MemberStatus.INVITED))


def test_an_invitation_posts_the_worker_with_an_idempotency_key() -> None:
    lumiq = ScriptedLumiq(httpx.Response(201, json=wire_member(1, status="invited", email=None)))
    registry, _ = registry_for(lumiq)

    registry.invite(a_worker(1, email=None))

    (request,) = lumiq.requests
    assert (request.method, request.url.path) == ("POST", "/lumiq/v1/members/invitations")
    assert lumiq.bodies() == [
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": None,
            "workday_wid": f"{1:032x}",
            "employee_id": "21001",
        }
    ]
    assert uuid.UUID(request.headers["Idempotency-Key"]).version == 4


def test_each_invitation_has_its_own_idempotency_key() -> None:
    lumiq = ScriptedLumiq(*[httpx.Response(201, json=wire_member(n, status="invited")) for n in (1, 2)])
    registry, _ = registry_for(lumiq)

    registry.invite(a_worker(1))
    registry.invite(a_worker(2))

    first, second = (r.headers["Idempotency-Key"] for r in lumiq.requests)
    assert first != second


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            refusal(409, "conflict", "a member with a seat already has this WID", field="workday_wid"),
            "worker 21001: workday_wid: a member with a seat already has this WID (409 conflict)",
        ),
        (
            refusal(422, "invalid", "email: not an email address", field="email"),
            "worker 21001: email: not an email address (422 invalid)",
        ),
        (refusal(401, "unauthorized", "unknown API key"), "worker 21001: unknown API key (401 unauthorized)"),
        (httpx.Response(400, text="bad"), "worker 21001: LumiQ refused with 400 Bad Request"),
    ],
)
def test_a_refused_invitation_is_a_failure_naming_the_worker_and_the_field(
    answer: httpx.Response, message: str
) -> None:
    lumiq = ScriptedLumiq(answer)
    registry, sleeps = registry_for(lumiq)

    assert registry.invite(a_worker(1)) == Failure(message)
    assert (len(lumiq.requests), sleeps) == (1, [])


def test_an_update_patches_only_the_changed_fields_by_their_wire_names() -> None:
    member = domain_member(1)
    changes = (FieldChange("last_name", "Lovelace", "King"), FieldChange("wid", member.wid, f"{9:032x}"))
    lumiq = ScriptedLumiq(httpx.Response(200, json=wire_member(1, last_name="King", workday_wid=f"{9:032x}")))
    registry, _ = registry_for(lumiq)

    result = registry.update(member, changes)

    assert result == Success(domain_member(1, last_name="King", wid=f"{9:032x}"))
    (request,) = lumiq.requests
    assert (request.method, request.url.path) == ("PATCH", f"/lumiq/v1/members/{member.id}")
    assert lumiq.bodies() == [{"last_name": "King", "workday_wid": f"{9:032x}"}]


def test_an_update_that_clears_a_field_sends_null() -> None:
    lumiq = ScriptedLumiq(httpx.Response(200, json=wire_member(1, email=None)))
    registry, _ = registry_for(lumiq)

    registry.update(domain_member(1), (FieldChange("email", "ada@example.com", None),))

    assert lumiq.bodies() == [{"email": None}]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (refusal(404, "not_found", "no such member"), "no such member (404 not_found)"),
        (
            refusal(409, "conflict", "belongs to mem_2", field="employee_id"),
            "employee_id: belongs to mem_2 (409 conflict)",
        ),
        (refusal(422, "invalid", "first_name: is blank", field="first_name"), "first_name: is blank (422 invalid)"),
    ],
)
def test_a_refused_update_is_a_failure_naming_the_member_and_the_field(answer: httpx.Response, message: str) -> None:
    registry, _ = registry_for(ScriptedLumiq(answer))

    result = registry.update(domain_member(1), (FieldChange("first_name", "Ada", "Augusta"),))

    assert result == Failure(f"member {domain_member(1).id} (employee 21001): {message}")


def test_a_removal_deletes_the_member_and_returns_it_removed() -> None:
    member = domain_member(1)
    lumiq = ScriptedLumiq(httpx.Response(200, json=wire_member(1, status="removed")))
    registry, _ = registry_for(lumiq)

    result = registry.remove(member)

    assert result == Success(domain_member(1, status=MemberStatus.REMOVED))
    assert [(r.method, r.url.path) for r in lumiq.requests] == [("DELETE", f"/lumiq/v1/members/{member.id}")]


def test_removing_an_unknown_member_is_a_failure_naming_it() -> None:
    member = domain_member(1, wid=None, employee_id=None)
    registry, _ = registry_for(ScriptedLumiq(refusal(404, "not_found", "no such member")))

    assert registry.remove(member) == Failure(f"member {member.id}: no such member (404 not_found)")


def test_an_answer_that_is_not_a_member_is_a_failure_not_a_crash() -> None:
    lumiq = ScriptedLumiq(httpx.Response(200, text="OK"), httpx.Response(200, json=wire_member(1, workday_wid="x")))
    registry, _ = registry_for(lumiq)

    assert registry.remove(domain_member(1)) == Failure(
        f"member {domain_member(1).id} (employee 21001): LumiQ answered 200 with a body that is not JSON"
    )
    failure = registry.remove(domain_member(1)).failure()
    assert "LumiQ answered 200 with" in failure
    assert "invalid workday_wid" in failure


def test_a_member_id_is_escaped_in_the_path() -> None:
    lumiq = ScriptedLumiq(httpx.Response(200, json=wire_member(1, id="mem/../x", status="removed")))
    registry, _ = registry_for(lumiq)

    registry.remove(domain_member(1, id="mem/../x"))

    assert lumiq.requests[0].url.raw_path == b"/lumiq/v1/members/mem%2F..%2Fx"
