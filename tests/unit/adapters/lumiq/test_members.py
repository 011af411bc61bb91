"""Reading LumiQ's member list: ``LumiqMemberRegistry.members``."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from adapters.lumiq import LUMIQ_RETRY, LumiqInvalidMember, LumiqUnavailable
from domain.errors import RegistryUnavailable
from domain.members import MemberStatus
from tests.unit.adapters.lumiq.scripted import (
    API_KEY,
    ScriptedLumiq,
    domain_member,
    page,
    refusal,
    registry_for,
    wire_member,
)


def test_maps_a_listed_member_to_the_domain() -> None:
    lumiq = ScriptedLumiq(page([wire_member(1, status="invited", workday_wid="3AA5550B7FE348B98D7B5741AFC65534")]))
    registry, _ = registry_for(lumiq)

    (member,) = registry.members()

    assert member == domain_member(1, status=MemberStatus.INVITED, wid="3aa5550b7fe348b98d7b5741afc65534")


def test_a_member_invited_by_hand_has_no_workday_identifiers() -> None:
    lumiq = ScriptedLumiq(page([wire_member(1, email=None, workday_wid=None, employee_id=None)]))
    registry, _ = registry_for(lumiq)

    (member,) = registry.members()

    assert (member.wid, member.employee_id, member.email, member.is_synced) == (None, None, None, False)


def test_pages_with_the_cursor_until_it_is_null() -> None:
    lumiq = ScriptedLumiq(
        page([wire_member(1), wire_member(2)], next_cursor="c2"),
        page([wire_member(3)], next_cursor="c3"),
        page([wire_member(4, status="removed")]),
    )
    registry, _ = registry_for(lumiq, page_size=2)

    ids = [m.id for m in registry.members()]

    assert ids == [domain_member(n).id for n in (1, 2, 3, 4)]
    assert [dict(r.url.params) for r in lumiq.requests] == [
        {"limit": "2"},
        {"limit": "2", "cursor": "c2"},
        {"limit": "2", "cursor": "c3"},
    ]
    assert {r.url.path for r in lumiq.requests} == {"/lumiq/v1/members"}


def test_yields_a_page_before_asking_for_the_next() -> None:
    lumiq = ScriptedLumiq(page([wire_member(1)], next_cursor="c2"), page([wire_member(2)]))
    registry, _ = registry_for(lumiq)
    members = registry.members()

    next(members)

    assert len(lumiq.requests) == 1
    assert [m.id for m in members] == [domain_member(2).id]


def test_sends_the_api_key_as_a_bearer_token() -> None:
    lumiq = ScriptedLumiq(page([]))
    registry, _ = registry_for(lumiq)

    assert list(registry.members()) == []
    assert lumiq.requests[0].headers["Authorization"] == f"Bearer {API_KEY}"


def test_a_member_with_a_malformed_wid_fails_the_whole_listing_naming_member_and_field() -> None:
    lumiq = ScriptedLumiq(page([wire_member(1), wire_member(2, workday_wid="not-a-wid")]))
    registry, _ = registry_for(lumiq)

    with pytest.raises(LumiqInvalidMember) as raised:
        list(registry.members())

    assert isinstance(raised.value, RegistryUnavailable)
    assert (raised.value.member_id, raised.value.field) == (domain_member(2).id, "workday_wid")
    assert "not-a-wid" in str(raised.value)


def test_a_member_with_an_unknown_status_fails_the_listing_naming_member_and_field() -> None:
    lumiq = ScriptedLumiq(page([wire_member(7, status="suspended")]))
    registry, _ = registry_for(lumiq)

    with pytest.raises(LumiqInvalidMember, match=f"{domain_member(7).id} with an invalid status"):
        list(registry.members())


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, text="<html>proxy error</html>"),
        httpx.Response(200, json={"members": []}),
        httpx.Response(200, json={"data": [], "next_cursor": 3}),
    ],
)
def test_a_page_that_is_not_the_documented_shape_is_unavailable(answer: httpx.Response) -> None:
    registry, _ = registry_for(ScriptedLumiq(answer))

    with pytest.raises(LumiqUnavailable, match="not the documented shape"):
        list(registry.members())


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (refusal(401, "unauthorized", "unknown API key"), r"unknown API key \(401 unauthorized\)"),
        (refusal(422, "invalid", "cursor: not a cursor", field="cursor"), r"cursor: not a cursor \(422 invalid\)"),
        (httpx.Response(403), "LumiQ refused with 403 Forbidden"),
    ],
)
def test_a_refused_listing_is_unavailable_and_not_retried(answer: httpx.Response, reason: str) -> None:
    lumiq = ScriptedLumiq(answer)
    registry, sleeps = registry_for(lumiq)

    with pytest.raises(LumiqUnavailable, match=reason):
        list(registry.members())

    assert (len(lumiq.requests), sleeps) == (1, [])


def test_a_cursor_that_repeats_ends_the_listing_as_unavailable() -> None:
    lumiq = ScriptedLumiq(page([wire_member(1)], next_cursor="c2"), page([wire_member(2)], next_cursor="c2"))
    registry, _ = registry_for(lumiq)

    with pytest.raises(LumiqUnavailable, match="'c2' again"):
        list(registry.members())


def test_a_page_that_fails_midway_is_retried_and_the_listing_continues() -> None:
    lumiq = ScriptedLumiq(
        page([wire_member(1)], next_cursor="c2"),
        refusal(503, "unavailable", "try later", retry_after="2"),
        page([wire_member(2)]),
    )
    registry, sleeps = registry_for(lumiq)

    assert len(list(registry.members())) == 2
    assert sleeps == [2.0]
    assert dict(lumiq.requests[2].url.params) == {"limit": "500", "cursor": "c2"}


def test_a_listing_that_cannot_be_read_after_retries_is_unavailable() -> None:
    lumiq = ScriptedLumiq(*[httpx.ConnectError("refused") for _ in range(3)])
    registry, sleeps = registry_for(lumiq, retry=replace(LUMIQ_RETRY, attempts=3, jitter=0))

    with pytest.raises(RegistryUnavailable, match="did not answer after 3 attempts: connection failed"):
        list(registry.members())

    assert sleeps == [0.5, 1.0]


def test_the_page_size_must_be_one_the_api_accepts() -> None:
    with pytest.raises(ValueError, match="page_size must be 1 to 1000"):
        registry_for(ScriptedLumiq(), page_size=1001)
