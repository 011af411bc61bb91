"""Bad input in the worker report: every malformed row kind is reported by row and field while the good rows go
through; a body that is cut short, empty or of another shape is refused whole; and the removal guard stops an
empty or shrunken report from removing members, end to end against the sandbox."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from adapters.workday.errors import RaasReportError
from adapters.workday.raas.url import ReportFormat
from domain.membership_plan import plan_membership
from domain.removal_guard import RemovalPolicy
from domain.runs import RunOutcome
from domain.workers import MalformedRow, Worker
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer
from tests.factories import TODAY, a_member_for, a_worker
from tests.reliability.harness import RecordedSleeps, closing, sandbox_container
from tests.unit.adapters.workday.reports import chunked, json_body, read, workday_xml_body

GOOD = [a_worker(n) for n in range(1, 11)]


def row(worker: Worker, **changes: Any) -> dict[str, Any]:
    """The worker as a JSON report row; a change to ``...`` drops the column."""
    fields: dict[str, Any] = {
        "wid": worker.wid,
        "first_name": worker.first_name,
        "last_name": worker.last_name,
        "employee_id": worker.employee_id,
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not ...}


# (what is wrong, the row, the field the report must name)
BAD_ROWS: list[tuple[str, Mapping[str, Any], str]] = [
    ("missing employee_id", row(a_worker(101), employee_id=...), "employee_id"),
    ("missing wid", row(a_worker(102), wid=...), "wid"),
    ("missing first_name", row(a_worker(103), first_name=...), "first_name"),
    ("blank last_name", row(a_worker(104), last_name="  "), "last_name"),
    ("empty employee_id", row(a_worker(105), employee_id=""), "employee_id"),
    ("null first_name", row(a_worker(106), first_name=None), "first_name"),
    ("31-hex WID", row(a_worker(107), wid="a" * 31), "wid"),
    ("non-hex WID", row(a_worker(108), wid="z" * 32), "wid"),
    ("impossible date", row(a_worker(109), termination_date="2024-02-30"), "termination_date"),
    ("month 13", row(a_worker(110), termination_date="2024-13-01"), "termination_date"),
    ("not a date", row(a_worker(111), termination_date="soon"), "termination_date"),
    ("a number for the WID", row(a_worker(112), wid=12345), "wid"),
    ("a number for the date", row(a_worker(113), termination_date=20240101), "termination_date"),
    ("a list of numbers for the WID", row(a_worker(114), wid=[1, 2]), "wid"),
    ("an empty list for the employee_id", row(a_worker(115), employee_id=[]), "employee_id"),
    ("an object for the last_name", row(a_worker(116), last_name={"text": "Smith"}), "last_name"),
    ("a list of objects for the first_name", row(a_worker(117), first_name=[{"a": "b"}]), "first_name"),
    ("an object for the WID", row(a_worker(118), wid={"WID": a_worker(118).wid}), "wid"),
    ("a bad email", row(a_worker(119), email="not an email"), "email"),
    ("a boolean for the date", row(a_worker(120), termination_date=True), "termination_date"),
]


def test_each_malformed_row_kind_is_reported_by_row_and_field_while_the_good_rows_go_through() -> None:
    rows: list[Mapping[str, Any]] = []
    expected: dict[int, tuple[str, str]] = {}
    for index, (what, bad, field) in enumerate(BAD_ROWS):
        rows.append(row(GOOD[index % len(GOOD)]) if index < len(GOOD) else row(a_worker(200 + index)))
        rows.append(bad)
        expected[len(rows)] = (what, field)
    entries = read(chunked(json_body(rows), 37))

    rejected = {e.row_number: e for e in entries if isinstance(e, MalformedRow)}
    workers = [e for e in entries if isinstance(e, Worker)]
    print(f"\nbad report rows: {len(rows)} rows, {len(workers)} workers, {len(rejected)} rejected")
    for _, malformed in sorted(rejected.items()):
        print(f"  {malformed}")
    assert {n: m.field for n, m in rejected.items()} == {n: field for n, (_, field) in expected.items()}
    assert len(workers) == len(rows) - len(BAD_ROWS)
    assert set(GOOD) <= set(workers)


def test_rows_that_share_a_wid_or_an_employee_id_are_rejected_and_protect_their_members() -> None:
    twin_wid = a_worker(301)
    twin_employee = a_worker(302)
    rows = [
        row(GOOD[0]),
        row(twin_wid),
        row(a_worker(303), wid=twin_wid.wid),
        row(twin_employee),
        row(a_worker(304), employee_id=twin_employee.employee_id),
        row(a_worker(305), termination_date="2024-02-30"),
        row(GOOD[1]),
    ]
    entries = read(json_body(rows))
    members = [a_member_for(w) for w in (twin_wid, twin_employee, a_worker(305), GOOD[0], GOOD[1])]
    plan = plan_membership(entries, members, TODAY, RemovalPolicy())
    fields = sorted((m.row_number, m.field) for m in plan.rejected)
    print(f"\nduplicates: rejected {[str(m) for m in plan.rejected]}")
    assert fields == [(2, "wid"), (3, "wid"), (4, "employee_id"), (5, "employee_id"), (6, "termination_date")]
    assert plan.removals == ()
    assert plan.updates == ()
    assert plan.invites == ()


@pytest.mark.parametrize(
    ("what", "body", "report_format"),
    [
        ("cut short mid-row", json_body([row(w) for w in GOOD])[:-60], ReportFormat.JSON),
        ("cut short between rows", json_body([row(w) for w in GOOD])[:-2], ReportFormat.JSON),
        ("an empty body", b"", ReportFormat.JSON),
        ("another shape: a list", json.dumps([row(w) for w in GOOD]).encode(), ReportFormat.JSON),
        ("another shape: no Report_Entry", json.dumps({"data": [row(GOOD[0])]}).encode(), ReportFormat.JSON),
        ("another shape: Report_Entry a string", b'{"Report_Entry": "none"}', ReportFormat.JSON),
        ("another shape: a number", b"42", ReportFormat.JSON),
        ("HTML", b"<html><body>Sign in</body></html>", ReportFormat.JSON),
        ("XML where JSON was asked", workday_xml_body([row(w) for w in GOOD]), ReportFormat.JSON),
        ("JSON where XML was asked", json_body([row(w) for w in GOOD]), ReportFormat.WORKDAY_XML),
        ("XML cut short", workday_xml_body([row(w) for w in GOOD])[:-40], ReportFormat.WORKDAY_XML),
        ("XML of another shape", b"<?xml version='1.0'?><Other><Thing/></Other>", ReportFormat.WORKDAY_XML),
    ],
)
def test_a_body_that_is_not_a_whole_report_is_refused_whole(
    what: str, body: bytes, report_format: ReportFormat
) -> None:
    with pytest.raises(RaasReportError) as refused:
        read(chunked(body, 50) if body else [body], report_format)
    print(f"\n{what}: {refused.value}")


def test_an_empty_report_reads_as_no_rows_and_the_guard_blocks_every_removal() -> None:
    assert read(json_body([])) == []
    members = [a_member_for(w) for w in GOOD]
    plan = plan_membership([], members, TODAY, RemovalPolicy())
    assert plan.blocked
    assert len(plan.removals) == len(members)


@pytest.mark.parametrize(
    ("what", "rows_served", "cut"),
    [("an empty report", 0, False), ("a shrunken report", 20, False), ("a report cut mid-transfer", 150, True)],
)
def test_the_sandbox_serving_a_bad_report_removes_no_one(
    tmp_path: Path, what: str, rows_served: int, cut: bool
) -> None:
    with SandboxServer(SandboxConfig(workers=300, seed=41, completions=0)) as sandbox:
        before = sandbox.lumiq.members()
        if cut:
            sandbox.faults.truncate_report_after = rows_served
        else:
            sandbox.faults.report_rows_override = rows_served
        sleeps = RecordedSleeps()
        with closing(sandbox_container(sandbox, f"sqlite:///{tmp_path / 'l.db'}", sleeps)) as container:
            result = container.sync_membership()()
        print(f"\n{what}: run {result.outcome.value}: {result.run.message[:200]}")
        assert result.outcome is (RunOutcome.FAILED if cut else RunOutcome.BLOCKED)
        assert sandbox.lumiq.members() == before
