from __future__ import annotations

from datetime import date
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from adapters.workday.raas.url import ReportFormat
from domain.workers import Worker

from .reports import json_body, read, reference, workday_xml_body

names = st.text(st.characters(categories=["L", "N"], include_characters=" '-"), min_size=1, max_size=20).filter(
    lambda name: name.strip() == name and name != ""
)
workers = st.builds(
    Worker,
    wid=st.text("0123456789abcdef", min_size=32, max_size=32),
    employee_id=st.from_regex(r"[A-Z]{0,2}[0-9]{1,8}", fullmatch=True),
    first_name=names,
    last_name=names,
    termination_date=st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    email=st.none() | st.from_regex(r"[a-z0-9.]{1,10}@[a-z]{1,10}\.[a-z]{2,4}", fullmatch=True),
)


def columns(worker: Worker, as_reference: bool) -> dict[str, object]:
    row: dict[str, object] = {
        "wid": worker.wid,
        "first_name": worker.first_name,
        "last_name": worker.last_name,
        "employee_id": worker.employee_id,
    }
    if as_reference:
        row["wid"] = reference(f"{worker.first_name} {worker.last_name}", WID=worker.wid, Employee_ID="x")
    if worker.termination_date is not None:
        row["termination_date"] = f"{worker.termination_date.isoformat()}-08:00"
    if worker.email is not None:
        row["email"] = worker.email
    return row


def split(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(body), *(cut % (len(body) + 1) for cut in cuts)})
    return [body[start:end] for start, end in pairwise(points)]


@given(st.lists(workers, max_size=8), st.lists(st.integers(min_value=0), max_size=30))
def test_any_json_report_split_anywhere_parses_back_to_its_workers(rows: list[Worker], cuts: list[int]) -> None:
    body = json_body(columns(worker, as_reference=False) for worker in rows)

    assert read(split(body, cuts)) == rows


@given(st.lists(workers, max_size=8), st.lists(st.integers(min_value=0), max_size=30), st.booleans())
def test_any_workday_xml_report_split_anywhere_parses_back_to_its_workers(
    rows: list[Worker], cuts: list[int], as_reference: bool
) -> None:
    body = workday_xml_body(columns(worker, as_reference) for worker in rows)

    assert read(split(body, cuts), ReportFormat.WORKDAY_XML) == rows
