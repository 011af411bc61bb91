"""The MemberRegistry contract (see its docstring), run against the in-memory fake, the LumiQ adapter talking
to the sandbox's LumiQ API over loopback HTTP, and a real LumiQ organisation (read-only) when configured."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr
from returns.result import Failure, Success

from adapters.fakes import InMemoryMemberRegistry
from adapters.lumiq import LumiqMemberRegistry
from domain.members import Member, MemberStatus
from domain.membership_plan import FieldChange
from sandbox.server import SandboxServer
from tests.contract.harness import RegistryUnderTest, tenant_container
from tests.factories import a_member_for, a_worker


@pytest.fixture(params=["fake", "sandbox", "tenant"])
def under_test(request: pytest.FixtureRequest) -> Iterator[RegistryUnderTest]:
    if request.param == "fake":
        yield RegistryUnderTest(InMemoryMemberRegistry([a_member_for(a_worker()) for _ in range(3)]), writable=True)
    elif request.param == "tenant":
        container = tenant_container()
        yield RegistryUnderTest(container.member_registry(), writable=False)
        container.shutdown_resources()
    else:
        sandbox: SandboxServer = request.getfixturevalue("fresh_sandbox")
        with httpx.Client(base_url=sandbox.lumiq_url) as client:
            registry = LumiqMemberRegistry(client, SecretStr(sandbox.config.lumiq_api_key), page_size=7)
            yield RegistryUnderTest(registry, writable=True)


@pytest.fixture
def writable(under_test: RegistryUnderTest) -> RegistryUnderTest:
    if not under_test.writable:
        pytest.skip("a real provider organisation is only read by the contract suite")
    return under_test


def test_lists_every_member_once_removed_ones_included(under_test: RegistryUnderTest) -> None:
    members = list(under_test.registry.members())
    assert len({m.id for m in members}) == len(members)
    assert all(isinstance(m, Member) for m in members)


def test_an_invitation_gives_a_new_worker_a_seat(writable: RegistryUnderTest) -> None:
    worker = a_worker(email="new.hire@example.com")
    result = writable.registry.invite(worker)
    assert isinstance(result, Success)
    member = result.unwrap()
    assert (member.status, member.wid, member.employee_id, member.email) == (
        MemberStatus.INVITED,
        worker.wid,
        worker.employee_id,
        worker.email,
    )
    assert member in list(writable.registry.members())


def test_inviting_a_worker_who_holds_a_seat_is_a_failure_naming_the_worker(writable: RegistryUnderTest) -> None:
    worker = a_worker()
    writable.registry.invite(worker)
    again = writable.registry.invite(worker)
    assert isinstance(again, Failure)
    assert worker.employee_id in again.failure()


def test_removal_takes_the_seat_and_removing_again_changes_nothing(writable: RegistryUnderTest) -> None:
    member = writable.registry.invite(a_worker()).unwrap()
    removed = writable.registry.remove(member).unwrap()
    assert removed.status is MemberStatus.REMOVED
    assert writable.registry.remove(removed).unwrap() == removed


def test_a_rehire_is_reinstated_under_the_same_member(writable: RegistryUnderTest) -> None:
    worker = a_worker()
    member = writable.registry.invite(worker).unwrap()
    writable.registry.remove(member)
    back = writable.registry.invite(worker).unwrap()
    assert (back.id, back.status) == (member.id, MemberStatus.INVITED)


def test_an_update_applies_the_changes(writable: RegistryUnderTest) -> None:
    worker = a_worker(email="before@example.com")
    member = writable.registry.invite(worker).unwrap()
    changes = (
        FieldChange("last_name", worker.last_name, "Byron"),
        FieldChange("email", worker.email, "after@example.com"),
    )
    updated = writable.registry.update(member, changes).unwrap()
    assert (updated.last_name, updated.email, updated.id) == ("Byron", "after@example.com", member.id)


def test_an_action_on_an_unknown_member_is_a_failure_not_an_exception(writable: RegistryUnderTest) -> None:
    ghost = a_member_for(a_worker(), member_id="mem_does_not_exist")
    assert isinstance(writable.registry.remove(ghost), Failure)
    assert isinstance(writable.registry.update(ghost, (FieldChange("last_name", "A", "B"),)), Failure)
