"""Workday's learning catalog read through the Learning REST API (reference section 8):
``GET {base}/ccx/api/learning/v1/{tenant}/content?limit=100&offset=…`` and ``/content/{id}/lessons``, with a
bearer token. ``contentNumber`` is the course's external reference (INFERRED)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx

from adapters.retries import RetryPolicy, Sleep, retry_after
from adapters.tls import tls_context
from adapters.workday.auth.flows import WorkdayBearerAuth
from adapters.workday.auth.tokens import RefreshTokenProvider
from adapters.workday.errors import RestAuthRejected, RestRequestFailed, WorkdayUnavailable
from adapters.workday.rate_limiter import RateLimitedTransport, RequestBudget
from adapters.workday.rest.content import catalog_course, course_detail, lesson
from adapters.workday.retries import call_with_retries
from domain.content_dedup import CatalogCourse, same_title
from domain.course_detail import CourseDetail
from domain.course_wrapper import Lesson
from domain.ports.learning_catalog import LearningCatalog

PAGE_SIZE = 100
"""The API's largest ``limit``."""
REST_TIMEOUT = httpx.Timeout(60.0, connect=15.0)
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def learning_api_url(base_url: str, tenant: str) -> str:
    return f"{base_url.rstrip('/')}/ccx/api/learning/v1/{tenant}"


class RestLearningCatalog(LearningCatalog):
    """The tenant's learning content, ``limit`` 100 a page until ``total`` is reached or a page comes back short.
    Titles and external references are matched here over every page. Every HTTP request takes a slot of
    ``limiter`` (share the tenant's). Throttling, 5xx, timeouts and connection failures are retried under
    ``retry``; ``RestAuthRejected``, ``RestRequestFailed`` and ``WorkdayGaveUp`` are raised. A course's detail
    is what the API describes: no duration, enrollment setting or image size (``rest_content.course_detail``)."""

    def __init__(
        self,
        base_url: str,
        tenant: str,
        tokens: RefreshTokenProvider,
        *,
        limiter: RequestBudget | None = None,
        retry: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
        timeout: httpx.Timeout = REST_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        inner = transport if transport is not None else httpx.HTTPTransport(verify=tls_context())
        self._http = httpx.Client(
            base_url=learning_api_url(base_url, tenant),
            transport=RateLimitedTransport(inner, limiter) if limiter is not None else inner,
            auth=WorkdayBearerAuth(tokens),
            timeout=timeout,
            follow_redirects=False,
        )
        self._retry = retry or RetryPolicy()
        self._sleep = sleep

    def course_by_reference(self, external_reference: str) -> CatalogCourse | None:
        return next((c for c in self._courses() if c.external_reference == external_reference), None)

    def courses_by_title(self, title: str) -> list[CatalogCourse]:
        return [c for c in self._courses() if same_title(c.title, title)]

    def lessons(self, course: CatalogCourse) -> list[Lesson]:
        body = self._get(f"/content/{course.workday_id}/lessons", {})
        found = [lesson(item) for item in _data(body)]
        return sorted((f for f in found if f is not None), key=lambda f: f.order)

    def course_detail(self, external_reference: str) -> CourseDetail | None:
        for item in self._content():
            course = catalog_course(item)
            if course is not None and course.external_reference == external_reference:
                return course_detail(item, self.lessons(course))
        return None

    def courses(self) -> list[CatalogCourse]:
        return list(self._courses())

    def close(self) -> None:
        self._http.close()

    def _courses(self) -> Iterator[CatalogCourse]:
        for item in self._content():
            course = catalog_course(item)
            if course is not None:
                yield course

    def _content(self) -> Iterator[dict[str, Any]]:
        offset = 0
        while True:
            body = self._get("/content", {"limit": PAGE_SIZE, "offset": offset})
            items = _data(body)
            yield from items
            offset += len(items)
            total = body.get("total")
            if len(items) < PAGE_SIZE or (isinstance(total, int) and offset >= total):
                return

    def _get(self, path: str, params: dict[str, int]) -> dict[str, Any]:
        return call_with_retries(f"GET {path}", lambda: self._get_once(path, params), self._retry, self._sleep)

    def _get_once(self, path: str, params: dict[str, int]) -> dict[str, Any]:
        where = f"the Learning REST API {path}"
        try:
            response = self._http.get(path, params=params)
        except _TRANSIENT as error:
            raise WorkdayUnavailable(f"{where} could not be reached ({type(error).__name__})") from None
        status = response.status_code
        if status in (httpx.codes.UNAUTHORIZED, httpx.codes.FORBIDDEN):
            raise RestAuthRejected(f"{where} refused the access token (HTTP {status}): check the API client's scopes")
        if status == httpx.codes.TOO_MANY_REQUESTS or status >= 500:
            raise WorkdayUnavailable(
                f"{where} answered HTTP {status}", status, retry_after(response.headers.get("Retry-After"))
            )
        if status != httpx.codes.OK:
            raise RestRequestFailed(f"{where} answered HTTP {status}", status)
        try:
            body = response.json()
        except ValueError:
            raise RestRequestFailed(f"{where} answered with a body that is not JSON", status) from None
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            raise RestRequestFailed(f"{where} answered without a data list", status)
        return body


def _data(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in body.get("data", []) if isinstance(item, dict)]
