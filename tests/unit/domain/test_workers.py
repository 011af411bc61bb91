from datetime import date

import pytest
from returns.result import Failure, Success

from domain.errors import InvalidValue
from domain.workday_dates import parse_workday_date
from domain.workers import MalformedRow, Worker, parse_worker

WID = "3aa5550b7fe348b98d7b5741afc65534"


def row(**fields: str | None) -> dict[str, str | None]:
    base: dict[str, str | None] = {"wid": WID, "employee_id": "21001", "first_name": "Ada", "last_name": "Lovelace"}
    base.update(fields)
    return base


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01", date(2024, 5, 1)),
        ("2024-05-01-07:00", date(2024, 5, 1)),
        ("2024-05-01+05:30", date(2024, 5, 1)),
        ("2024-05-01T00:00:00.000-07:00", date(2024, 5, 1)),
        ("2024-05-01T23:59:59-07:00", date(2024, 5, 1)),
        ("2024-05-01Z", date(2024, 5, 1)),
    ],
)
def test_accepts_each_of_workdays_date_forms_and_keeps_the_written_calendar_date(text: str, expected: date) -> None:
    assert parse_workday_date(text, "termination_date") == expected


@pytest.mark.parametrize("text", ["2024-02-30", "05/01/2024", "2024-5-1", "tomorrow", "2024-05-01-7"])
def test_rejects_what_is_not_a_workday_date_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_workday_date(text, "termination_date")
    assert caught.value.field == "termination_date"


def test_a_wid_is_normalised_to_lower_case() -> None:
    assert Worker(WID.upper(), "21001", "Ada", "Lovelace").wid == WID


@pytest.mark.parametrize("wid", ["3aa5550b7fe348b98d7b5741afc6553", "3aa5550b7fe348b98d7b5741afc65534a", "g" * 32])
def test_a_wid_must_be_32_hex_characters(wid: str) -> None:
    with pytest.raises(InvalidValue, match="wid"):
        Worker(wid, "21001", "Ada", "Lovelace")


def test_a_blank_employee_id_is_not_a_worker() -> None:
    with pytest.raises(InvalidValue, match="employee_id"):
        Worker(WID, "  ", "Ada", "Lovelace")


def test_parses_a_full_row() -> None:
    result = parse_worker(1, row(termination_date="2024-05-01-07:00", email=" ada@example.com "))
    assert result == Success(Worker(WID, "21001", "Ada", "Lovelace", date(2024, 5, 1), "ada@example.com"))


@pytest.mark.parametrize("field", ["wid", "employee_id", "first_name", "last_name"])
def test_a_missing_required_field_names_the_row_and_the_field(field: str) -> None:
    assert parse_worker(7, row(**{field: None})) == Failure(
        MalformedRow(
            7, field, "is missing", None if field == "wid" else WID, None if field == "employee_id" else "21001"
        )
    )


def test_a_malformed_row_keeps_its_identifiers_so_its_member_is_protected() -> None:
    result = parse_worker(3, row(termination_date="2024-02-30"))
    assert result == Failure(
        MalformedRow(3, "termination_date", "'2024-02-30' is not a real calendar date", WID, "21001")
    )


def test_a_bad_wid_is_not_kept_as_an_identifier() -> None:
    result = parse_worker(4, row(wid="xyz"))
    assert isinstance(result, Failure)
    assert result.failure().field == "wid"
    assert result.failure().wid is None
    assert result.failure().employee_id == "21001"


def test_a_termination_today_means_terminated_today() -> None:
    worker = Worker(WID, "21001", "Ada", "Lovelace", termination_date=date(2026, 11, 23))
    assert worker.is_terminated_on(date(2026, 11, 23))
    assert not worker.is_terminated_on(date(2026, 11, 22))
