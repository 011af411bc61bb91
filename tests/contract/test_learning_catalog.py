"""The LearningCatalog contract (see its docstring), run against the in-memory fake, SoapLearningCatalog and
RestLearningCatalog, the last two reading the sandbox over loopback HTTP. Courses are put first with the
publisher of the same implementation."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from adapters.fakes import InMemoryWorkdayLearning
from adapters.workday import (
    IsuCredentials,
    RateLimiter,
    RefreshTokenProvider,
    RestLearningCatalog,
    RetryPolicy,
    SoapLearningCatalog,
    WorkdayCoursePublisher,
    build_learning_client,
)
from domain.content_dedup import CatalogCourse
from domain.course_wrapper import AccountSettings, LessonKind, wrap
from domain.learning_content import Content, Named
from domain.ports.course_publisher import CoursePublisher
from domain.ports.learning_catalog import LearningCatalog
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer

POPULATION = SandboxConfig(workers=20, seed=3)
TENANT_LIMITER = RateLimiter(5.0)
"""One limiter for the sandbox tenant, shared by every client the suite builds (the sandbox throttles)."""
_n = itertools.count(1)


@dataclass
class CatalogUnderTest:
    catalog: LearningCatalog
    publisher: CoursePublisher


@pytest.fixture(scope="module")
def catalog_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(POPULATION) as server:
        yield server


@pytest.fixture(params=["fake", "sandbox-soap", "sandbox-rest"])
def under_test(request: pytest.FixtureRequest) -> Iterator[CatalogUnderTest]:
    if request.param == "fake":
        fake = InMemoryWorkdayLearning([Named("Sales", "TOPIC_SALES")])
        yield CatalogUnderTest(fake, fake)
        return
    sandbox: SandboxServer = request.getfixturevalue("catalog_sandbox")
    config = sandbox.config
    auth = IsuCredentials(config.isu_username, config.tenant, SecretStr(config.isu_password))
    client = build_learning_client(sandbox.learning_url(), auth, limiter=TENANT_LIMITER)
    retry = RetryPolicy(attempts=2)
    publisher = WorkdayCoursePublisher(client, retry=retry)
    if request.param == "sandbox-soap":
        yield CatalogUnderTest(SoapLearningCatalog(client, retry=retry), publisher)
    else:
        with httpx.Client() as token_client:
            tokens = RefreshTokenProvider(
                token_client,
                sandbox.token_url,
                config.client_id,
                SecretStr(config.client_secret),
                SecretStr(config.refresh_token),
            )
            rest = RestLearningCatalog(sandbox.base_url, config.tenant, tokens, limiter=TENANT_LIMITER, retry=retry)
            yield CatalogUnderTest(rest, publisher)
            rest.close()
    client.close()


def put_course(under_test: CatalogUnderTest, **changes: Any) -> CatalogCourse:
    n = next(_n)
    fields: dict[str, Any] = {
        "title": f"Catalog course {n}",
        "external_reference": f"catalog-course-{n}",
        "content_url": f"https://provider.example/catalog/{n}",
        "categories": (Named("Sales"),),
    }
    course = wrap(Content(**(fields | changes)), AccountSettings())
    return under_test.publisher.publish(course, None).unwrap()


def test_a_course_is_found_by_its_exact_reference(under_test: CatalogUnderTest) -> None:
    put = put_course(under_test)

    found = under_test.catalog.course_by_reference(put.external_reference)

    assert found is not None
    assert (found.external_reference, found.title) == (put.external_reference, put.title)
    assert under_test.catalog.course_by_reference(put.external_reference.upper() + "-NOT") is None


def test_courses_are_found_by_title_ignoring_case_and_white_space(under_test: CatalogUnderTest) -> None:
    n = next(_n)
    put = put_course(under_test, title=f"Negotiating   Under Pressure {n}")

    found = under_test.catalog.courses_by_title(f"negotiating under  pressure {n}")

    assert [c.external_reference for c in found] == [put.external_reference]


def test_an_unknown_title_finds_nothing(under_test: CatalogUnderTest) -> None:
    assert under_test.catalog.courses_by_title("No course has this title 4f1c") == []


def test_lessons_come_back_in_lesson_order(under_test: CatalogUnderTest) -> None:
    put = put_course(under_test)

    lessons = under_test.catalog.lessons(under_test.catalog.course_by_reference(put.external_reference) or put)

    assert [lesson.order for lesson in lessons] == [1]
    assert lessons[0].kind is LessonKind.EXTERNAL
    assert lessons[0].mandatory


def test_the_listing_holds_every_course_once_with_its_reference_and_title(under_test: CatalogUnderTest) -> None:
    put = [put_course(under_test) for _ in range(3)]

    listed = under_test.catalog.courses()

    by_reference = {c.external_reference: c for c in listed}
    assert len(by_reference) == len(listed), "a course listed twice"
    for course in put:
        assert by_reference[course.external_reference].title == course.title
        assert by_reference[course.external_reference].workday_id == course.workday_id
