"""A membership plan as the ledger keeps it (``domain.membership_record``): each action read back is the action
planned, and a damaged record is refused naming the field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given

from domain.errors import InvalidValue
from domain.members import Member
from domain.membership_plan import plan_membership
from domain.membership_record import planned_action, planned_record, rejected_row_record
from domain.removal_guard import RemovalPolicy
from domain.runs import ActionResult
from domain.workers import MalformedRow, ReportEntry
from tests.factories import TODAY, a_member_for, a_worker, members, report_entries

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@given(report_entries, members())
def test_every_planned_action_reads_back_as_planned(entries: Sequence[ReportEntry], current: list[Member]) -> None:
    plan = plan_membership(entries, current, TODAY, RemovalPolicy(max_removal_share=1.0))

    records = [planned_record(action, AT) for action in plan.actions]

    assert all(record.result is ActionResult.PLANNED for record in records)
    assert [planned_action(record) for record in records] == list(plan.actions)
    assert [(r.kind, r.why) for r in records] == [(r.kind, a.why) for r, a in zip(records, plan.actions, strict=True)]


def test_a_rejected_row_keeps_its_number_field_and_reason() -> None:
    record = rejected_row_record(MalformedRow(12, "wid", "'x' is not a Workday ID", None, "E7"), AT)

    assert (record.kind, record.subject, record.why, record.result) == (
        "reject", "row 12", "wid: 'x' is not a Workday ID", ActionResult.REJECTED,
    )  # fmt: skip
    assert record.detail == {
        "row": 12,
        "field": "wid",
        "reason": "'x' is not a Workday ID",
        "wid": None,
        "employee_id": "E7",
    }


@pytest.mark.parametrize(
    ("damage", "field"),
    [
        (lambda d: {**d, "member": {**d["member"], "wid": "not-a-wid"}}, "detail.member.wid"),
        (lambda d: {**d, "member": {**d["member"], "status": "gone"}}, "detail.member.status"),
        (lambda d: {**d, "reason": "bored"}, "detail"),
        (lambda d: {k: v for k, v in d.items() if k != "member"}, "detail.member"),
    ],
)
def test_a_damaged_removal_is_refused_naming_the_field(damage: object, field: str) -> None:
    worker = a_worker(termination_date=TODAY)
    (removal,) = plan_membership([worker], [a_member_for(worker)], TODAY).removals
    record = planned_record(removal, AT)
    assert record.detail is not None
    damaged = replace(record, detail=damage(dict(record.detail)))  # type: ignore[operator]

    with pytest.raises(InvalidValue) as refused:
        planned_action(damaged)

    assert refused.value.field == field
