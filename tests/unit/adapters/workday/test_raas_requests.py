from __future__ import annotations

import httpx
import pytest

from adapters.budget import BudgetUnavailable
from adapters.workday.errors import RaasReportError
from adapters.workday.raas.directory import RaasWorkerDirectory
from adapters.workday.raas.url import ReportFormat, request_url
from adapters.workday.rate_limiter import KEPT, Reservation
from domain.errors import ReportUnavailable

from .reports import REPORT_URL, directory, handled_by, json_body, serving

PROMPTED = f"{REPORT_URL}?format=csv&Worker_Type!WID=d588c41a446c11de98360015c5e6daf6!abc&Start_Date=2023-03-01-08:00"


@pytest.mark.parametrize(
    ("report_format", "expected_format"),
    [
        (ReportFormat.JSON, "&format=json"),
        (ReportFormat.SIMPLE_XML, "&format=simplexml"),
        (ReportFormat.WORKDAY_XML, ""),
    ],
)
def test_prompts_are_kept_as_written_and_the_format_is_replaced(
    report_format: ReportFormat, expected_format: str
) -> None:
    url = request_url(PROMPTED, report_format)

    assert str(url) == (
        f"{REPORT_URL}?Worker_Type!WID=d588c41a446c11de98360015c5e6daf6!abc&Start_Date=2023-03-01-08:00{expected_format}"
    )


def test_a_url_without_prompts_gets_only_the_format() -> None:
    assert str(request_url(REPORT_URL, ReportFormat.JSON)) == f"{REPORT_URL}?format=json"


def test_a_report_url_that_is_not_http_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="not an http"):
        request_url("customreport2/acme/owner/Workers", ReportFormat.JSON)


def test_the_report_is_requested_at_the_formatted_url_with_a_long_read_timeout() -> None:
    seen: list[httpx.Request] = []

    list(directory(serving(json_body([]), seen=seen), url=PROMPTED).entries())

    (request,) = seen
    assert request.url.params["format"] == "json"
    assert request.url.params["Start_Date"] == "2023-03-01-08:00"
    assert request.headers["Accept"] == "application/json"
    assert request.extensions["timeout"]["read"] >= 300


@pytest.mark.parametrize(
    ("status", "advice"),
    [
        (401, "refused the credentials"),
        (403, "verify the report URL and that the report is shared with the integration user"),
        (500, "verify the report URL and that the report is shared with the integration user"),
        (404, "no report at this URL"),
        (406, "over Workday's 2 GB limit: split it with prompts"),
        (503, "try again later"),
        (418, "unexpected status"),
    ],
)
def test_an_http_error_is_a_report_error_an_operator_can_act_on(status: int, advice: str) -> None:
    with pytest.raises(ReportUnavailable, match=advice) as raised:
        list(directory(serving(b"<error>nope</error>", status=status)).entries())

    assert isinstance(raised.value, RaasReportError)
    assert raised.value.status_code == status
    assert "Workday said: <error>nope</error>" in str(raised.value)


def test_a_huge_error_body_is_quoted_only_in_part() -> None:
    with pytest.raises(RaasReportError) as raised:
        list(directory(serving(b"x" * 1_000_000, status=500)).entries())

    assert len(str(raised.value)) < 600


def test_an_unreachable_workday_is_a_report_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("name or service not known", request=request)

    with pytest.raises(RaasReportError, match=r"could not be reached \(ConnectError: name or service not known\)"):
        list(directory(handled_by(handler)).entries())


def test_a_read_timeout_before_any_row_suggests_splitting_the_report() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(RaasReportError, match=r"did not answer within 900\.0 s: .* split it with prompts"):
        list(directory(handled_by(handler)).entries())


def test_the_repr_names_the_report_without_prompts_or_user_info() -> None:
    report = directory(serving(b""), url=f"https://isu:hunter2@{PROMPTED.removeprefix('https://')}")

    assert "hunter2" not in repr(report)
    assert "Start_Date" not in repr(report)
    assert "Workers_for_LumiQ" in repr(report)


def test_unknown_canonical_fields_in_the_column_aliases_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown report fields"):
        directory(serving(b""), columns={"manager": "Manager"})


class CountingBudget:
    """A budget that grants every slot at once and counts them, noting how many requests were sent before each."""

    def __init__(self, sent: list[httpx.Request]) -> None:
        self.sent_before: list[int] = []
        self._sent = sent

    def acquire(self) -> float:
        self.sent_before.append(len(self._sent))
        return 0.0

    def reserve(self) -> Reservation:
        self.acquire()
        return KEPT


def test_a_report_and_its_schema_each_take_one_slot_of_the_tenants_budget_before_they_are_sent() -> None:
    seen: list[httpx.Request] = []
    budget = CountingBudget(seen)
    report = RaasWorkerDirectory(serving(json_body([]), seen=seen), REPORT_URL, auth=httpx.Auth(), budget=budget)

    list(report.entries())
    with pytest.raises(RaasReportError):
        report.fetch_schema()  # the body served is not an XSD: the slot was taken all the same

    assert budget.sent_before == [0, 1]
    assert len(seen) == 2


def test_a_report_whose_budget_cannot_be_asked_is_not_requested_and_fails_naming_the_report() -> None:
    seen: list[httpx.Request] = []

    class Unreachable:
        def acquire(self) -> float:
            raise BudgetUnavailable("the request budgets in Redis failed: ConnectionError")

        def reserve(self) -> Reservation:
            raise BudgetUnavailable("the request budgets in Redis failed: ConnectionError")

    report = RaasWorkerDirectory(serving(json_body([]), seen=seen), REPORT_URL, auth=httpx.Auth(), budget=Unreachable())

    with pytest.raises(RaasReportError, match="Workers_for_LumiQ"):
        list(report.entries())
    assert seen == []
