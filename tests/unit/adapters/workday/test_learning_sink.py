"""The Workday transcript sink's answers: references, Workday's faults as typed refusals, retries of what passes
(with ``Retry-After`` honoured and bounded), no retry of what does not, and credentials refused as an error
that stops the run. Workday's replies are written by hand; sleeps are recorded, never slept."""

from __future__ import annotations

import gzip
import logging

import httpx
import pytest
from pydantic import SecretStr
from returns.result import Failure, Success

from adapters.retries import RetryPolicy
from adapters.workday.auth.credentials import OAuthCredentials
from adapters.workday.auth.tokens import RefreshTokenProvider
from adapters.workday.errors import SoapAuthRejected, SoapRequestFailed
from adapters.workday.learning.transcript_sink import WorkdayTranscriptSink
from adapters.workday.rate_limiter import TenantRateLimiter
from domain.deliveries import DeliveryRefused
from tests.unit.adapters.workday.scripted_service import NO_WAIT, ScriptedService, client_over, ref
from tests.unit.adapters.workday.soap import (
    A_CONTENT,
    A_RECORD,
    NS,
    PASSWORD,
    UNKNOWN_LEARNER,
    content_reply,
    fault,
    processing_fault,
    put_reply,
    record_reply,
    sink_for,
    validation_fault,
)

UNAVAILABLE = httpx.Response(503, text="<html>Service Unavailable</html>", headers={"Content-Type": "text/html"})


def throttled(retry_after: str) -> httpx.Response:
    return httpx.Response(429, text="Too Many Requests", headers={"Retry-After": retry_after})


def test_returns_the_wid_of_the_reference_workday_answers_with() -> None:
    sink, _, _ = sink_for(content_reply(wid="c0ffee"), record_reply(wid="feed"))

    assert sink.put_content(A_CONTENT) == Success("c0ffee")
    assert sink.put_record(A_RECORD) == Success("feed")


def test_falls_back_to_the_reference_id_and_then_to_the_item_id() -> None:
    only_id = put_reply(
        "Put_Learning_Imported_Content", "Learning_Imported_Content_Reference", {"Learning_Imported_Content_ID": "x"}
    )
    sink, _, _ = sink_for(only_id, content_reply(wid=""))

    assert sink.put_content(A_CONTENT) == Success("x")
    assert sink.put_content(A_CONTENT) == Success(A_CONTENT.id)


def test_a_validation_fault_is_refused_with_its_message_and_xpath_and_never_retried() -> None:
    sink, workday, sleeps = sink_for(UNKNOWN_LEARNER)

    result = sink.put_record(A_RECORD)

    assert result == Failure(
        DeliveryRefused(
            A_RECORD.id,
            "Invalid ID value. '99999' is not a valid ID value for type = 'Employee_ID'",
            retryable=False,
            xpath="/bsvc:Put_Learning_Imported_Record_Request[1]/bsvc:Learning_Imported_Record_Data[1]"
            "/bsvc:Learner_Reference[1]",
        )
    )
    assert len(workday.requests) == 1
    assert sleeps == []


def test_every_validation_error_is_named_and_the_first_xpath_kept() -> None:
    sink, _, _ = sink_for(
        validation_fault(
            ("Invalid ID value for Learner", None, "/bsvc:A[1]"),
            ("Completion Date is required", "Enter a date", "/bsvc:B[1]"),
        )
    )

    result = sink.put_record(A_RECORD)

    refused = result.failure()
    assert refused.message == "Invalid ID value for Learner; Completion Date is required; Enter a date"
    assert refused.xpath == "/bsvc:A[1]"
    assert not refused.retryable


def test_throttling_waits_as_long_as_retry_after_says_then_succeeds() -> None:
    sink, workday, sleeps = sink_for(throttled("7"), throttled("0.25"), content_reply(wid="c0ffee"))

    assert sink.put_content(A_CONTENT) == Success("c0ffee")
    assert sleeps == [7.0, 0.25]
    assert len(workday.requests) == 3


def test_an_outage_timeouts_and_dropped_connections_are_retried_with_exponential_backoff() -> None:
    sink, _, sleeps = sink_for(
        UNAVAILABLE,
        httpx.ReadTimeout("read timed out"),
        httpx.ConnectError("connection refused"),
        record_reply(wid="feed"),
    )

    assert sink.put_record(A_RECORD) == Success("feed")
    assert sleeps == [1.0, 2.0, 4.0]


def test_when_the_retries_run_out_the_item_is_refused_as_retryable() -> None:
    sink, workday, sleeps = sink_for(*[UNAVAILABLE] * 4)

    result = sink.put_content(A_CONTENT)

    refused = result.failure()
    assert refused.retryable
    assert refused.item_id == A_CONTENT.id
    assert "503" in refused.message
    assert "4 attempts" in refused.message
    assert len(workday.requests) == 4
    assert len(sleeps) == 3


def test_a_retry_after_beyond_the_total_wait_ends_the_retries_instead_of_waiting() -> None:
    sink, workday, sleeps = sink_for(throttled("3600"), content_reply())

    result = sink.put_content(A_CONTENT)

    assert result.failure().retryable
    assert sleeps == []
    assert len(workday.requests) == 1


def test_a_processing_fault_is_retried_and_named_when_it_persists() -> None:
    busy = "The object is being updated by another process"
    sink, workday, sleeps = sink_for(processing_fault(busy), processing_fault(busy), content_reply(wid="c0ffee"))
    assert sink.put_content(A_CONTENT) == Success("c0ffee")
    assert len(sleeps) == 2

    sink, workday, _ = sink_for(*[processing_fault(busy)] * 4)
    refused = sink.put_content(A_CONTENT).failure()
    assert refused.retryable
    assert refused.xpath is None
    assert len(workday.requests) == 4


def test_a_server_fault_without_detail_is_retried() -> None:
    sink, workday, _ = sink_for(fault("SOAP-ENV:Server", "Internal error"), content_reply(wid="c0ffee"))

    assert sink.put_content(A_CONTENT) == Success("c0ffee")
    assert len(workday.requests) == 2


def test_a_client_fault_without_detail_is_refused_as_retryable_without_retrying_now() -> None:
    sink, workday, sleeps = sink_for(fault("SOAP-ENV:Client", "Something Workday did not like"))

    refused = sink.put_content(A_CONTENT).failure()

    assert refused.retryable
    assert "Something Workday did not like" in refused.message
    assert len(workday.requests) == 1
    assert sleeps == []


def test_a_wrong_isu_password_raises_instead_of_refusing_each_item() -> None:
    sink, workday, _ = sink_for(fault("SOAP-ENV:Client.authenticationError", "invalid username or password"))

    with pytest.raises(SoapAuthRejected, match="user@tenant"):
        sink.put_record(A_RECORD)
    assert len(workday.requests) == 1


@pytest.mark.parametrize("status", [401, 403])
def test_an_http_authentication_refusal_raises(status: int) -> None:
    sink, workday, _ = sink_for(httpx.Response(status, text="Unauthorized"))

    with pytest.raises(SoapAuthRejected, match=str(status)):
        sink.put_content(A_CONTENT)
    assert len(workday.requests) == 1


def test_a_wrong_endpoint_raises() -> None:
    sink, _, _ = sink_for(httpx.Response(404, text="<html>Not Found</html>"))

    with pytest.raises(SoapRequestFailed, match="404"):
        sink.put_content(A_CONTENT)


def test_oauth_sends_a_bearer_token_refreshed_once_on_a_401() -> None:
    issued = iter(["first-token", "second-token"])
    token_requests: list[httpx.Request] = []

    def token_endpoint(request: httpx.Request) -> httpx.Response:
        token_requests.append(request)
        return httpx.Response(200, json={"access_token": next(issued), "expires_in": 3600})

    tokens = RefreshTokenProvider(
        httpx.Client(transport=httpx.MockTransport(token_endpoint)),
        "https://wd2-impl-services1.workday.com/ccx/oauth2/acme/token",
        "client-id",
        SecretStr("client-secret"),
        SecretStr("refresh-token"),
    )
    sink, workday, _ = sink_for(
        httpx.Response(401, text="expired"), content_reply(wid="c0ffee"), auth=OAuthCredentials(tokens)
    )

    assert sink.put_content(A_CONTENT) == Success("c0ffee")
    assert workday.authorizations == ["Bearer first-token", "Bearer second-token"]
    assert len(token_requests) == 2
    assert workday.body().find("env:Header", NS) is None


def test_a_request_asks_for_a_compressed_answer_and_reads_one() -> None:
    reply = content_reply(wid="c0ffee")
    compressed = httpx.Response(
        200,
        content=gzip.compress(reply.content),
        headers={"Content-Type": "text/xml; charset=utf-8", "Content-Encoding": "gzip"},
    )
    sink, workday, _ = sink_for(compressed)

    assert sink.put_content(A_CONTENT) == Success("c0ffee")
    assert "gzip" in workday.requests[0].headers["Accept-Encoding"]
    assert workday.requests[0].headers["Content-Type"].startswith("text/xml")


def test_every_attempt_takes_a_slot_of_the_tenants_rate_limit() -> None:
    slots: list[float] = []

    class CountingLimiter(TenantRateLimiter):
        def acquire(self) -> float:
            slots.append(super().acquire())
            return slots[-1]

    sink, workday, _ = sink_for(throttled("1"), UNAVAILABLE, content_reply(), limiter=CountingLimiter(5.0))

    sink.put_content(A_CONTENT)

    assert len(slots) == len(workday.requests) == 3


def test_the_password_is_never_logged_nor_in_a_repr(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sink, workday, _ = sink_for(UNAVAILABLE, UNKNOWN_LEARNER, retry=RetryPolicy(jitter=0))

    sink.put_record(A_RECORD)

    assert PASSWORD in workday.requests[0].content.decode()
    assert PASSWORD not in caplog.text
    assert PASSWORD not in repr(sink.__dict__)


def test_a_record_the_tenants_wsdl_does_not_describe_fails_alone_to_be_retried_naming_why() -> None:
    service = ScriptedService()
    service.answer(
        "Put_Learning_Imported_Record",
        TypeError("Learning_Imported_Record_DataType() got an unexpected keyword argument 'Completion_Date'"),
    )
    service.answer("Put_Learning_Imported_Content", {"Learning_Imported_Content_Reference": ref(WID="c-1")})
    sink = WorkdayTranscriptSink(client_over(service), retry=NO_WAIT, sleep=lambda _: None)

    record = sink.put_record(A_RECORD)
    content = sink.put_content(A_CONTENT)

    assert isinstance(record, Failure)
    assert record.failure().retryable
    assert "Put_Learning_Imported_Record does not fit" in record.failure().message
    assert "Completion_Date" in record.failure().message
    assert content == Success("c-1")
