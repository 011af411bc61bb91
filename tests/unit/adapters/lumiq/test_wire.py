"""The wire models: LumiQ's JSON to domain values and back."""

from __future__ import annotations

import pytest

from adapters.lumiq.errors import LumiqInvalidMember
from adapters.lumiq.wire import WireInvitation, WirePatch, error_from_wire, member_from_wire
from domain.errors import InvalidValue
from domain.membership_plan import FieldChange
from tests.unit.adapters.lumiq.scripted import a_worker, domain_member, wire_member


def test_a_wire_member_with_extra_fields_maps_to_the_domain() -> None:
    assert member_from_wire(wire_member(1, seat_type="premium")) == domain_member(1)


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        (wire_member(1, workday_wid="123"), (domain_member(1).id, "workday_wid")),
        (wire_member(1, id="  "), ("  ", "id")),
        ({"id": "mem_1", "status": "active", "first_name": "Ada"}, ("mem_1", "last_name")),
        (["not", "an", "object"], ("(not an object)", "member")),
    ],
)
def test_an_invalid_member_names_its_id_and_field(raw: object, named: tuple[str, str]) -> None:
    with pytest.raises(LumiqInvalidMember) as raised:
        member_from_wire(raw)

    assert (raised.value.member_id, raised.value.field) == named


def test_an_invitation_carries_the_worker_under_lumiq_names() -> None:
    assert WireInvitation.from_worker(a_worker(3)).model_dump() == {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "workday_wid": f"{3:032x}",
        "employee_id": "21003",
    }


def test_a_patch_holds_only_the_changes_under_lumiq_names() -> None:
    changes = (
        FieldChange("employee_id", "1", "2"),
        FieldChange("wid", None, f"{4:032x}"),
        FieldChange("email", "a@b.c", None),
    )

    assert WirePatch.from_changes(changes).body() == {"employee_id": "2", "workday_wid": f"{4:032x}", "email": None}


def test_a_patch_of_a_field_lumiq_does_not_know_is_a_bug() -> None:
    with pytest.raises(InvalidValue, match="status"):
        WirePatch.from_changes((FieldChange("status", "active", "removed"),))


def test_an_error_body_that_is_not_lumiqs_shape_is_none() -> None:
    assert error_from_wire(b"<html>502</html>") is None
    detail = error_from_wire(b'{"error": {"code": "invalid", "message": "m", "field": "email"}}')
    assert detail is not None
    assert (detail.code, detail.field) == ("invalid", "email")
