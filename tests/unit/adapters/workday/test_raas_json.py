from __future__ import annotations

from datetime import date

import httpx
import pytest

from adapters.workday.errors import RaasReportError
from adapters.workday.raas.url import ReportFormat
from domain.errors import ReportUnavailable
from domain.workers import MalformedRow, Worker

from .reports import WID_1, WID_2, chunked, directory, failing_after, handled_by, json_body, read

ANN = {
    "wid": WID_1,
    "first_name": "Ann",
    "last_name": "Lee",
    "employee_id": "21001",
    "termination_date": "2024-05-01-07:00",
    "email": "ann.lee@example.com",
}
BOB = {"wid": WID_2, "first_name": "Bob", "last_name": "Ray", "employee_id": "21002"}
ANN_WORKER = Worker(WID_1, "21001", "Ann", "Lee", date(2024, 5, 1), "ann.lee@example.com")
BOB_WORKER = Worker(WID_2, "21002", "Bob", "Ray")


def test_reads_each_row_as_a_worker_in_report_order() -> None:
    entries = read(json_body([ANN, BOB]))

    assert entries == [
        Worker(WID_1, "21001", "Ann", "Lee", date(2024, 5, 1), "ann.lee@example.com"),
        Worker(WID_2, "21002", "Bob", "Ray"),
    ]


def test_an_empty_report_entry_list_is_an_empty_report() -> None:
    assert read(b'{"Report_Entry": []}') == []


def test_an_employee_id_written_as_a_json_number_is_read_as_text() -> None:
    (worker,) = read(json_body([{**BOB, "employee_id": 21002}]))

    assert isinstance(worker, Worker)
    assert worker.employee_id == "21002"


def test_absent_and_null_optional_fields_are_none() -> None:
    (worker,) = read(json_body([{**BOB, "termination_date": None}]))

    assert worker == Worker(WID_2, "21002", "Bob", "Ray", None, None)


def test_an_alias_into_a_group_takes_the_first_non_empty_value() -> None:
    row = {**BOB, "Email_group": [{"Email_Address": ""}, {"Email_Address": "bob@example.com"}]}

    (worker,) = read(json_body([row]), columns={"email": "Email_group.Email_Address"})

    assert isinstance(worker, Worker)
    assert worker.email == "bob@example.com"


def test_a_group_written_as_a_bare_object_reads_like_a_one_element_list() -> None:
    row = {**BOB, "Email_group": {"Email_Address": "bob@example.com"}}

    (worker,) = read(json_body([row]), columns={"email": "Email_group.Email_Address"})

    assert isinstance(worker, Worker)
    assert worker.email == "bob@example.com"


def test_columns_are_read_from_the_aliases_the_customer_gave() -> None:
    row = {"Workday_ID": WID_1, "Legal_First": "Ann", "Legal_Last": "Lee", "Employee": "21001"}
    columns = {"wid": "Workday_ID", "first_name": "Legal_First", "last_name": "Legal_Last", "employee_id": "Employee"}

    assert read(json_body([row]), columns=columns) == [Worker(WID_1, "21001", "Ann", "Lee")]


def test_a_malformed_row_names_its_row_and_field_and_reading_goes_on() -> None:
    entries = read(json_body([ANN, {**BOB, "wid": "not-a-wid"}, {**BOB, "wid": WID_1, "last_name": " "}, BOB]))

    assert [type(entry) for entry in entries] == [Worker, MalformedRow, MalformedRow, Worker]
    assert entries[1] == MalformedRow(2, "wid", entries[1].reason, None, "21002")  # type: ignore[union-attr]
    assert isinstance(entries[2], MalformedRow)
    assert (entries[2].row_number, entries[2].field, entries[2].wid) == (3, "last_name", WID_1)


@pytest.mark.parametrize("size", [1, 7, 512])
def test_any_chunking_of_the_body_gives_the_same_entries(size: int) -> None:
    body = json_body([ANN, {**BOB, "wid": "bad"}, {**BOB, "Email_group": {"Email_Address": "b@example.com"}}])

    assert read(chunked(body, size)) == read(body)


def test_a_report_entry_that_is_a_bare_object_is_a_report_of_one_row() -> None:
    assert read(b'{"Report_Entry": ' + json_body([BOB])[len(b'{"Report_Entry": [') : -2] + b"}") == [
        Worker(WID_2, "21002", "Bob", "Ray")
    ]


def test_a_body_without_report_entry_is_refused() -> None:
    with pytest.raises(RaasReportError, match=r"the report has no Report_Entry: is this a RaaS report URL\?"):
        read(b'{"Workers": []}')


def test_a_body_that_is_not_json_is_refused_quoting_its_beginning() -> None:
    with pytest.raises(RaasReportError, match=r"not JSON.*<html><body>Sign in"):
        read(b"<html><body>Sign in</body></html>")


def test_a_json_body_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(RaasReportError, match="not a JSON object"):
        read(b"[1, 2]")


def test_an_empty_body_is_refused() -> None:
    with pytest.raises(RaasReportError, match="empty"):
        read(b"")


def test_a_body_cut_short_raises_after_yielding_the_complete_rows() -> None:
    body = json_body([ANN, BOB, ANN])
    entries = directory(handled_by(lambda _: httpx.Response(200, content=body[:-40]))).entries()

    assert [next(entries), next(entries)] == [ANN_WORKER, BOB_WORKER]
    with pytest.raises(ReportUnavailable, match="the report was cut short after 2 rows"):
        next(entries)


def test_a_connection_dropped_mid_body_is_a_report_cut_short() -> None:
    body = json_body([ANN, BOB, ANN])

    def handler(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=failing_after(chunked(body[:-60], 16), httpx.ReadError("reset")))

    with pytest.raises(RaasReportError, match=r"cut short after 2 rows \(ReadError: reset\)"):
        list(directory(handled_by(handler)).entries())


def test_the_report_is_read_afresh_on_each_call() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, content=json_body([BOB]))

    report = directory(handled_by(handler), ReportFormat.JSON)
    assert list(report.entries()) == list(report.entries())
    assert len(requests) == 2
