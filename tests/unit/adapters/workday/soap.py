"""A scripted Learning endpoint for the SOAP adapter's tests: Workday's replies and faults written out by hand,
served through ``httpx.MockTransport``; the project's Learning WSDL read from a file; no network."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path

import httpx
from lxml import etree
from pydantic import SecretStr

from adapters.retries import RetryPolicy
from adapters.workday.auth.credentials import IsuCredentials, LearningAuth
from adapters.workday.learning.client import LearningClient, build_learning_client, learning_endpoint
from adapters.workday.learning.transcript_sink import WorkdayTranscriptSink
from adapters.workday.rate_limiter import TenantRateLimiter
from domain.transcripts import ImportedContent, ImportedRecord

LEARNING_WSDL = Path(str(files("sandbox.workday.learning.wsdl") / "Learning.wsdl"))
ENDPOINT = learning_endpoint("https://wd2-impl-services1.workday.com", "acme", "v44.2")
PASSWORD = "isu-pa55word-value"
ISU = IsuCredentials("ISU_LumiQ", "acme", SecretStr(PASSWORD))
NO_JITTER = RetryPolicy(attempts=4, backoff=1.0, max_wait=30.0, jitter=0.0, max_total_wait=60.0)

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WD = "urn:com.workday/bsvc"
NS = {"env": SOAP_ENV, "wd": WD}

A_CONTENT = ImportedContent(1, "course-17", "Ethics for Accountants", "Ethics. Field of study: Ethics. Credits: 1.")
A_RECORD = ImportedRecord(1, "completion-9", "21001", "course-17", date(2026, 3, 4))


def envelope(body: str) -> str:
    return f'<env:Envelope xmlns:env="{SOAP_ENV}" xmlns:wd="{WD}"><env:Body>{body}</env:Body></env:Envelope>'


def put_reply(operation: str, reference: str, ids: dict[str, str]) -> httpx.Response:
    id_elements = "".join(f'<wd:ID wd:type="{kind}">{value}</wd:ID>' for kind, value in ids.items())
    reference_xml = f"<wd:{reference}>{id_elements}</wd:{reference}>" if ids else ""
    body = f'<wd:{operation}_Response wd:version="v44.2">{reference_xml}</wd:{operation}_Response>'
    return httpx.Response(200, text=envelope(body), headers={"Content-Type": "text/xml; charset=utf-8"})


def content_reply(wid: str = "c0ffee00000000000000000000000001", content_id: str = "course-17") -> httpx.Response:
    ids = {"WID": wid, "Learning_Imported_Content_ID": content_id} if wid else {}
    return put_reply("Put_Learning_Imported_Content", "Learning_Imported_Content_Reference", ids)


def record_reply(wid: str = "feed0000000000000000000000000009") -> httpx.Response:
    ids = {"WID": wid, "Learning_Imported_Record_ID": "completion-9"}
    return put_reply("Put_Learning_Imported_Record", "Learning_Imported_Record_Reference", ids)


def fault(code: str, faultstring: str, detail: str = "", status: int = 500) -> httpx.Response:
    detail_xml = f"<detail>{detail}</detail>" if detail else ""
    body = f"<env:Fault><faultcode>{code}</faultcode><faultstring>{faultstring}</faultstring>{detail_xml}</env:Fault>"
    return httpx.Response(status, text=envelope(body), headers={"Content-Type": "text/xml; charset=utf-8"})


def validation_fault(*errors: tuple[str, str | None, str | None]) -> httpx.Response:
    def one(message: str, detail: str | None, xpath: str | None) -> str:
        parts = [f"<wd:Message>{message}</wd:Message>"]
        if detail:
            parts.append(f"<wd:Detail_Message>{detail}</wd:Detail_Message>")
        if xpath:
            parts.append(f"<wd:Xpath>{xpath}</wd:Xpath>")
        return f"<wd:Validation_Error>{''.join(parts)}</wd:Validation_Error>"

    detail = f'<wd:Validation_Fault xmlns:wd="{WD}">{"".join(one(*e) for e in errors)}</wd:Validation_Fault>'
    return fault("SOAP-ENV:Client.validationError", f"Validation error occurred. {errors[0][0]}", detail)


def processing_fault(detail_message: str) -> httpx.Response:
    detail = (
        f'<wd:Processing_Fault xmlns:wd="{WD}"><wd:Detail_Message>{detail_message}</wd:Detail_Message>'
        "</wd:Processing_Fault>"
    )
    return fault("SOAP-ENV:Client.processingFault", "Processing error occurred.", detail)


UNKNOWN_LEARNER = validation_fault(
    (
        "Invalid ID value. '99999' is not a valid ID value for type = 'Employee_ID'",
        "Invalid ID value. '99999' is not a valid ID value for type = 'Employee_ID'",
        "/bsvc:Put_Learning_Imported_Record_Request[1]/bsvc:Learning_Imported_Record_Data[1]/bsvc:Learner_Reference[1]",
    )
)

Answer = httpx.Response | Exception


@dataclass
class ScriptedLearning:
    """Answers requests with ``answers`` in turn (an exception is raised, as the network would); records
    every request."""

    answers: list[Answer]
    requests: list[httpx.Request] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    """Each request's Authorization header as sent (an auth flow may change the request object afterwards)."""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.authorizations.append(request.headers.get("Authorization"))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def body(self, index: int = -1) -> etree._Element:
        return etree.fromstring(self.requests[index].content)


def client_for(
    handler: Callable[[httpx.Request], httpx.Response],
    auth: LearningAuth = ISU,
    limiter: TenantRateLimiter | None = None,
) -> LearningClient:
    return build_learning_client(
        ENDPOINT, auth, wsdl=LEARNING_WSDL, limiter=limiter, transport=httpx.MockTransport(handler)
    )


def sink_for(
    *answers: Answer, auth: LearningAuth = ISU, retry: RetryPolicy = NO_JITTER, limiter: TenantRateLimiter | None = None
) -> tuple[WorkdayTranscriptSink, ScriptedLearning, list[float]]:
    scripted = ScriptedLearning(list(answers))
    sleeps: list[float] = []
    sink = WorkdayTranscriptSink(client_for(scripted, auth, limiter), retry=retry, sleep=sleeps.append)
    return sink, scripted, sleeps
