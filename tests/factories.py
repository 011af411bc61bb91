"""Test data: factories for single values and hypothesis strategies for many."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import strategies as st

from domain.members import Member, MemberStatus
from domain.workers import MalformedRow, Worker

TODAY = date(2026, 11, 23)
_serial = itertools.count(1)


def wid_for(n: int) -> str:
    return f"{n:032x}"


def a_worker(n: int | None = None, **changes: object) -> Worker:
    n = next(_serial) if n is None else n
    fields: dict[str, object] = {
        "wid": wid_for(n),
        "employee_id": f"E{n:05d}",
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        "termination_date": None,
        "email": None,
    }
    fields.update(changes)
    return Worker(**fields)  # type: ignore[arg-type]


def a_member_for(worker: Worker, member_id: str | None = None, **changes: object) -> Member:
    fields: dict[str, object] = {
        "id": member_id or f"mem_{worker.employee_id}",
        "status": MemberStatus.ACTIVE,
        "first_name": worker.first_name,
        "last_name": worker.last_name,
        "wid": worker.wid,
        "employee_id": worker.employee_id,
        "email": worker.email,
    }
    fields.update(changes)
    return Member(**fields)  # type: ignore[arg-type]


# Small identifier spaces on purpose: collisions (duplicates, shared employee IDs) must be common.
_ids = st.integers(min_value=1, max_value=40)
_names = st.sampled_from(["Ada", "Grace", "Alan", "Edsger", "Barbara"])
_dates = st.one_of(st.none(), st.dates(min_value=TODAY - timedelta(days=60), max_value=TODAY + timedelta(days=60)))
_emails = st.one_of(st.none(), st.sampled_from(["a@example.com", "b@example.com"]))


@st.composite
def workers(draw: st.DrawFn) -> Worker:
    return Worker(
        wid=wid_for(draw(_ids)),
        employee_id=f"E{draw(_ids)}",
        first_name=draw(_names),
        last_name=draw(_names),
        termination_date=draw(_dates),
        email=draw(_emails),
    )


@st.composite
def malformed_rows(draw: st.DrawFn) -> MalformedRow:
    return MalformedRow(
        row_number=draw(st.integers(min_value=1, max_value=10_000)),
        field=draw(st.sampled_from(["first_name", "termination_date", "employee_id"])),
        reason="is missing",
        wid=draw(st.one_of(st.none(), _ids.map(wid_for))),
        employee_id=draw(st.one_of(st.none(), _ids.map(lambda n: f"E{n}"))),
    )


@st.composite
def members(draw: st.DrawFn) -> list[Member]:
    """Members as a provider can hold them: members with a seat never share a WID or an employee ID
    (docs/lumiq-api.md answers 409); removed members may."""
    count = draw(st.integers(min_value=0, max_value=25))
    result = []
    seated_ids: set[str] = set()
    for n in range(count):
        linked = draw(st.booleans()) or n % 5 != 0
        wid = wid_for(draw(_ids)) if linked and draw(st.booleans()) else None
        employee_id = f"E{draw(_ids)}" if linked and draw(st.booleans()) else None
        status = draw(st.sampled_from(list(MemberStatus)))
        identifiers = {i for i in (wid, employee_id) if i is not None}
        if identifiers & seated_ids:
            status = MemberStatus.REMOVED
        elif status is not MemberStatus.REMOVED:
            seated_ids |= identifiers
        result.append(
            Member(
                id=f"mem_{n:03d}",
                status=status,
                first_name=draw(_names),
                last_name=draw(_names),
                wid=wid,
                employee_id=employee_id,
                email=draw(_emails),
            )
        )
    return result


report_entries = st.lists(st.one_of(workers(), workers(), workers(), malformed_rows()), max_size=30)
