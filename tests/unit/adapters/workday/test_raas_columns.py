"""A report whose columns are not the configured ones is one failure of the read, not a rejection per row."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.workday.errors import RaasColumnsMismatch
from adapters.workday.raas.columns import COLUMN_SAMPLE_ROWS
from adapters.workday.raas.directory import RaasWorkerDirectory
from adapters.workday.raas.url import ReportFormat
from domain.errors import ReportUnavailable
from domain.workers import REQUIRED_FIELDS, MalformedRow, ReportEntry, Worker
from tests.factories import a_worker

from .reports import REPORT_URL, directory, handled_by, json_body, read, serving, workday_xml_body

RENAMED = {
    "wid": "Worker_ID",
    "first_name": "First",
    "last_name": "Last",
    "employee_id": "Employee",
    "termination_date": "Terminated",
}


def row(n: int, names: dict[str, str] | None = None, without: tuple[str, ...] = ()) -> dict[str, str]:
    worker = a_worker(n)
    fields = {
        "wid": worker.wid,
        "first_name": worker.first_name,
        "last_name": worker.last_name,
        "employee_id": worker.employee_id,
    }
    return {(names or {}).get(k, k): v for k, v in fields.items() if k not in without}


def refused(body: bytes, report_format: ReportFormat = ReportFormat.JSON) -> RaasColumnsMismatch:
    with pytest.raises(RaasColumnsMismatch) as raised:
        read(body, report_format)
    return raised.value


@pytest.mark.parametrize(
    ("report_format", "body"),
    [
        (ReportFormat.JSON, json_body(row(n, RENAMED) for n in range(1, 6))),
        (ReportFormat.WORKDAY_XML, workday_xml_body(row(n, RENAMED) for n in range(1, 6))),
    ],
)
def test_a_report_with_renamed_columns_is_one_failure_naming_the_expected_and_the_found_columns(
    report_format: ReportFormat, body: bytes
) -> None:
    problem = refused(body, report_format)

    assert isinstance(problem, ReportUnavailable)
    assert str(problem).startswith(
        "the report's columns do not match: wid, employee_id, first_name, last_name are in none of its 5 rows. "
        "Expected wid, first_name, last_name, employee_id, termination_date (and optionally email); "
        "found Worker_ID, First, Last, Employee."
    )
    assert "raas.columns" in str(problem)
    assert problem.found == ("Worker_ID", "First", "Last", "Employee")


def test_the_message_names_where_the_columns_are_configured() -> None:
    client = serving(json_body([row(1, without=("wid",))]))
    reader = RaasWorkerDirectory(client, REPORT_URL, auth=httpx.Auth(), columns_setting="[tenants.acme.raas.columns]")
    with pytest.raises(RaasColumnsMismatch, match=r"map each to its column under \[tenants\.acme\.raas\.columns\]"):
        list(reader.entries())


def test_configured_aliases_are_what_is_expected() -> None:
    columns = {"wid": "Workday_ID"}
    with pytest.raises(
        RaasColumnsMismatch, match=r"Workday_ID is in none of its 1 rows\. Expected Workday_ID, first_name"
    ):
        read(json_body([row(1)]), columns=columns)


def test_a_long_report_is_refused_from_its_first_rows_without_reading_the_rest() -> None:
    rows_served = 0

    def body() -> Iterator[bytes]:
        nonlocal rows_served
        yield b'{"Report_Entry": ['
        for n in range(1, 100_000):
            rows_served += 1
            yield (b"," if n > 1 else b"") + json_body([row(n, RENAMED)])[len(b'{"Report_Entry": [') : -2]
        yield b"]}"

    entries = directory(handled_by(lambda _: httpx.Response(200, content=body()))).entries()
    yielded: list[ReportEntry] = []
    with pytest.raises(RaasColumnsMismatch, match=f"in none of its first {COLUMN_SAMPLE_ROWS} rows"):
        yielded.extend(entries)
    assert len(yielded) < COLUMN_SAMPLE_ROWS
    assert rows_served < 2 * COLUMN_SAMPLE_ROWS


def test_rows_missing_a_column_that_other_first_rows_have_are_each_rejected_and_reading_goes_on() -> None:
    rows = [row(n, without=("wid",)) for n in range(1, 5)] + [row(5)]

    entries = read(json_body(rows))

    assert [type(e) for e in entries] == [MalformedRow] * 4 + [Worker]
    assert {e.field for e in entries if isinstance(e, MalformedRow)} == {"wid"}


def test_a_column_missing_only_after_the_first_rows_rejects_those_rows_alone() -> None:
    rows = [row(n) for n in range(1, COLUMN_SAMPLE_ROWS + 1)] + [row(n, without=("employee_id",)) for n in (1001, 1002)]

    entries = read(json_body(rows))

    assert [e.row_number for e in entries if isinstance(e, MalformedRow)] == [
        COLUMN_SAMPLE_ROWS + 1,
        COLUMN_SAMPLE_ROWS + 2,
    ]


def test_an_empty_report_is_no_mismatch() -> None:
    assert read(json_body([])) == []


@given(st.integers(min_value=1, max_value=2 * COLUMN_SAMPLE_ROWS), st.sampled_from(REQUIRED_FIELDS))
def test_a_report_whose_rows_all_lack_a_required_column_is_refused_whole_naming_it(rows: int, field: str) -> None:
    with pytest.raises(RaasColumnsMismatch) as raised:
        read(json_body(row(n, without=(field,)) for n in range(1, rows + 1)))

    assert f"{field} is in none of its" in str(raised.value)
    assert field not in raised.value.found
