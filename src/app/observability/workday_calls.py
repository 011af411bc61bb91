"""Every HTTP request to a tenant's Workday, seen in one place: ``ObservedTransport``, the ``httpx`` transport
the container gives each of the tenant's Workday clients (SOAP, REST, RaaS, OAuth). Each request is counted by
operation and status, timed, and made a span, child of the run or session it serves. The operation is the SOAP
body's first element (``Put_Learning_Imported_Record_Request``), or for other requests a name read from the path
with its identifiers left out (``GET content/{id}/lessons``, ``report``, ``token``, ``wsdl``).

A retry is told by the adapters' retrying (``adapters.workday.retry_events``) in the thread that made the failed
request: the tenant is the one of the last request this thread sent (a context variable set here)."""

from __future__ import annotations

import re
import time
from contextvars import ContextVar

import httpx
from opentelemetry.trace import SpanKind, Status, StatusCode

from adapters.workday import retry_events
from app.observability import metrics
from app.observability.tracing import OPERATION, TENANT, tracer

_SOAP_OPERATION = re.compile(rb"<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]+)")
_REST = re.compile(r"/ccx/api/[^/]+/v\d+[^/]*/[^/]+/(.*)$")
_IDENTIFIER = re.compile(r"^(?=.*\d)[\w.-]{6,}$|^\d+$")
_last_tenant: ContextVar[str | None] = ContextVar("wlc_workday_tenant", default=None)


def operation_of(request: httpx.Request) -> str:
    """What ``request`` asks of Workday, in few enough names to be a metric's label."""
    if request.url.query and b"wsdl" in request.url.query.lower():
        return "wsdl"
    path = request.url.path
    if "/ccx/oauth2/" in path:
        return "token"
    if "/customreport2/" in path:
        return "report"
    if request.method == "POST":
        try:
            body = request.content
        except httpx.RequestNotRead:
            body = b""
        found = _SOAP_OPERATION.search(body)
        if found:
            return found.group(1).decode("ascii", "replace")
    rest = _REST.search(path)
    tail = rest.group(1) if rest else path.rsplit("/", 1)[-1]
    parts = ["{id}" if _IDENTIFIER.match(part) else part for part in tail.strip("/").split("/")]
    return f"{request.method} {'/'.join(parts)}"


class ObservedTransport(httpx.BaseTransport):
    """``inner``, with each request to ``tenant``'s Workday counted, timed and traced."""

    def __init__(self, inner: httpx.BaseTransport, tenant: str) -> None:
        self._inner = inner
        self._tenant = tenant

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        operation = operation_of(request)
        _last_tenant.set(self._tenant)
        with tracer().start_as_current_span(
            f"workday {operation}",
            kind=SpanKind.CLIENT,
            attributes={TENANT: self._tenant, OPERATION: operation, "http.request.method": request.method},
        ) as span:
            began = time.perf_counter()
            try:
                response = self._inner.handle_request(request)
            except httpx.HTTPError as error:
                metrics.observe_workday_request(self._tenant, operation, None, time.perf_counter() - began)
                span.set_status(Status(StatusCode.ERROR, type(error).__name__))
                raise
            metrics.observe_workday_request(self._tenant, operation, response.status_code, time.perf_counter() - began)
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 400:
                span.set_status(Status(StatusCode.ERROR))
            return response

    def close(self) -> None:
        self._inner.close()


def _count_retry(what: str) -> None:
    metrics.observe_retry(_last_tenant.get() or "unknown")


def listen_for_retries() -> None:
    """Counts the Workday adapters' retries (once a process; calling again changes nothing)."""
    retry_events.listen(_count_retry)


def observed(inner: httpx.BaseTransport, tenant: str) -> ObservedTransport:
    listen_for_retries()
    return ObservedTransport(inner, tenant)
