"""RestLearningCatalog over httpx.MockTransport: paging by limit/offset, contentNumber as the external
reference, the lessons endpoint, and errors."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from adapters.workday.auth.tokens import RefreshTokenProvider
from adapters.workday.errors import RestAuthRejected, RestRequestFailed
from adapters.workday.rest.catalog import RestLearningCatalog
from domain.content_dedup import CatalogCourse
from domain.course_detail import DetailField
from domain.course_wrapper import Lesson, LessonKind
from domain.learning_content import Named
from tests.unit.adapters.workday.scripted_service import NO_WAIT

BASE = "https://wd2-impl-services1.workday.com"
API = "/ccx/api/learning/v1/acme"


def tokens() -> RefreshTokenProvider:
    def token(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"access_token": "tok", "expires_in": 3600})

    client = httpx.Client(transport=httpx.MockTransport(token))
    return RefreshTokenProvider(client, f"{BASE}/token", "cid", SecretStr("s"), SecretStr("r"))


def content(n: int) -> dict[str, object]:
    return {"id": f"c{n}", "descriptor": f"Course {n}", "contentNumber": f"ext-{n}"}


def catalog(handler: httpx.MockTransport) -> RestLearningCatalog:
    return RestLearningCatalog(BASE, "acme", tokens(), transport=handler, retry=NO_WAIT, sleep=lambda _: None)


def test_content_is_read_a_hundred_at_a_time_until_the_total_and_matched_by_content_number() -> None:
    seen: list[httpx.Request] = []
    items = [content(n) for n in range(150)]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        return httpx.Response(200, json={"total": 150, "data": items[offset : offset + limit]})

    found = catalog(httpx.MockTransport(handler)).course_by_reference("ext-149")

    assert found == CatalogCourse("c149", "ext-149", "Course 149")
    assert [(r.url.path, r.url.params["offset"]) for r in seen] == [(f"{API}/content", "0"), (f"{API}/content", "100")]
    assert seen[0].headers["Authorization"] == "Bearer tok"


def test_lessons_come_from_the_lessons_endpoint_in_order() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == f"{API}/content/c1/lessons"
        data = [
            {"id": "l2", "descriptor": "Blocker", "order": 2, "required": True, "contentType": {"descriptor": "Media"}},
            {"id": "l1", "descriptor": "Go", "order": 1, "required": True,
             "externalContentData": {"contentURL": "https://x.example"}},
        ]  # fmt: skip
        return httpx.Response(200, json={"data": data})

    lessons = catalog(httpx.MockTransport(handler)).lessons(CatalogCourse("c1", "ext-1", "T"))

    assert lessons == [
        Lesson(1, "Go", LessonKind.EXTERNAL, True, url="https://x.example"),
        Lesson(2, "Blocker", LessonKind.MEDIA, True),
    ]


def test_throttling_is_retried() -> None:
    answers = iter([httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(200, json={"data": []})])

    assert catalog(httpx.MockTransport(lambda _: next(answers))).courses_by_title("x") == []


def test_a_forbidden_answer_raises_auth_rejected_and_a_bad_body_raises_request_failed() -> None:
    with pytest.raises(RestAuthRejected):
        catalog(httpx.MockTransport(lambda _: httpx.Response(403))).course_by_reference("x")
    with pytest.raises(RestRequestFailed):
        catalog(httpx.MockTransport(lambda _: httpx.Response(200, text="<html>"))).course_by_reference("x")


def test_a_courses_detail_is_what_the_rest_api_describes_and_says_what_it_cannot_read() -> None:
    item = content(7) | {
        "description": "Deals.",
        "lifecycleStatus": "Inactive",
        "topics": [{"id": "t-wid", "descriptor": "Sales"}],
        "skills": [{"id": "s-wid", "descriptor": "Negotiation"}, {"descriptor": " "}],
        "languages": [{"id": "l-wid", "descriptor": "English (United Kingdom)"}],
        "image": {"publicURL": "https://x.example/cover.png"},
    }

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/lessons"):
            lessons = [{"descriptor": "Go", "order": 1, "required": True, "externalContentData": {"contentURL": "u"}}]
            return httpx.Response(200, json={"data": lessons})
        return httpx.Response(200, json={"total": 2, "data": [content(6), item]})

    detail = catalog(httpx.MockTransport(handler)).course_detail("ext-7")

    assert detail is not None
    assert detail.course == CatalogCourse("c7", "ext-7", "Course 7", active=False)
    assert detail.description == "Deals."
    assert detail.lessons == (Lesson(1, "Go", LessonKind.EXTERNAL, True, url="u"),)
    assert detail.categories == (Named("Sales", "t-wid"),)
    assert detail.skills == (Named("Negotiation", "s-wid"),)
    assert detail.languages == (Named("English (United Kingdom)", "l-wid"),)
    assert (detail.duration_minutes, detail.requires_enrollment, detail.cover_image) == (None, None, None)
    assert {n.field for n in detail.not_read} == {
        DetailField.DURATION,
        DetailField.REQUIRES_ENROLLMENT,
        DetailField.COVER_IMAGE,
    }
    assert all("REST API" in n.reason for n in detail.not_read)


def test_a_course_the_rest_api_does_not_list_has_no_detail() -> None:
    handler = httpx.MockTransport(lambda _: httpx.Response(200, json={"total": 1, "data": [content(1)]}))

    assert catalog(handler).course_detail("ext-2") is None
