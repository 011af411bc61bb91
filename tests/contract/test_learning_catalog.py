"""The LearningCatalog contract (see its docstring), run against the in-memory fake, SoapLearningCatalog and
RestLearningCatalog, the last two reading the sandbox over loopback HTTP. Courses are put first with the
publisher of the same implementation."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from adapters.fakes import InMemoryWorkdayLearning
from adapters.retries import RetryPolicy
from adapters.workday.auth.credentials import IsuCredentials
from adapters.workday.auth.tokens import RefreshTokenProvider
from adapters.workday.learning.catalog import SoapLearningCatalog
from adapters.workday.learning.client import build_learning_client
from adapters.workday.learning.course_publisher import WorkdayCoursePublisher
from adapters.workday.rate_limiter import TenantRateLimiter
from adapters.workday.rest.catalog import RestLearningCatalog
from domain.content_dedup import CatalogCourse
from domain.course_detail import CourseDetail, CoverImageFacts, DetailField
from domain.course_wrapper import AccountSettings, CoverImage, LessonKind, wrap
from domain.learning_content import Content, Named
from domain.ports.course_publisher import CoursePublisher
from domain.ports.learning_catalog import LearningCatalog
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer
from sandbox.workday.learning.courses import SEEDED_LANGUAGES, SEEDED_SKILLS
from tests.sandbox_talent import sandbox_skills

POPULATION = SandboxConfig(workers=20, seed=3, soap_rate_limit=100)
TENANT_LIMITER = TenantRateLimiter(50.0)
"""One limiter for the sandbox tenant, shared by every client the suite builds (the sandbox throttles, at 100 a
second here: the suite is about the catalog; the limit has tests of its own)."""
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
        # The sandbox's names for what the fake is asked to hold, so that one suite holds for both.
        fake = InMemoryWorkdayLearning(
            [Named("Sales", "TOPIC_SALES")],
            skills=[Named(name, id_) for id_, name in SEEDED_SKILLS],
            languages=[Named(name, id_) for id_, name in SEEDED_LANGUAGES],
        )
        yield CatalogUnderTest(fake, fake)
        return
    sandbox: SandboxServer = request.getfixturevalue("catalog_sandbox")
    config = sandbox.config
    auth = IsuCredentials(config.isu_username, config.tenant, SecretStr(config.isu_password))
    client = build_learning_client(sandbox.learning_url(), auth, limiter=TENANT_LIMITER)
    retry = RetryPolicy(attempts=2)
    publisher = WorkdayCoursePublisher(client, sandbox_skills(sandbox, TENANT_LIMITER), retry=retry)
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


def put_course(under_test: CatalogUnderTest, image: CoverImage | None = None, **changes: Any) -> CatalogCourse:
    n = next(_n)
    fields: dict[str, Any] = {
        "title": f"Catalog course {n}",
        "external_reference": f"catalog-course-{n}",
        "content_url": f"https://provider.example/catalog/{n}",
        "categories": (Named("Sales"),),
    }
    course = wrap(Content(**(fields | changes)), AccountSettings(), image)
    return under_test.publisher.publish(course, None).unwrap().course


PNG = CoverImage("cover.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)


def shown(under_test: CatalogUnderTest, reference: str) -> CourseDetail:
    detail = under_test.catalog.course_detail(reference)
    assert detail is not None
    return detail


def read_or_said_why(detail: CourseDetail, field: DetailField, value: object, expected: object) -> None:
    """The contract for every field a catalog may not read: the value Workday holds, or None with a reason."""
    reason = detail.reason_not_read(field)
    if reason is None:
        assert value == expected, field
    else:
        assert value is None, field
        assert reason.strip(), field


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


def test_a_course_is_shown_in_full_by_its_exact_reference(under_test: CatalogUnderTest) -> None:
    put = put_course(
        under_test,
        PNG,
        description="Closing techniques for complex deals.",
        skills=(Named("Negotiation"),),
        languages=("en_GB", "fr_FR"),
        duration=timedelta(hours=1, minutes=30, seconds=45),
    )

    detail = shown(under_test, put.external_reference)

    assert detail.course == under_test.catalog.course_by_reference(put.external_reference)
    assert (detail.course.title, detail.course.active) == (put.title, True)
    assert detail.description == "Closing techniques for complex deals."
    [lesson] = detail.lessons
    assert (lesson.order, lesson.title, lesson.kind, lesson.mandatory) == (1, put.title, LessonKind.EXTERNAL, True)
    assert lesson.url == f"https://provider.example/catalog/{put.external_reference.rsplit('-', 1)[1]}"
    assert [c.name for c in detail.categories] == ["Sales"]
    assert [s.name for s in detail.skills] == ["Negotiation"]
    assert [language.name for language in detail.languages] == ["English (United Kingdom)", "French (France)"]
    read_or_said_why(detail, DetailField.DURATION, detail.duration_minutes, 91)
    read_or_said_why(detail, DetailField.REQUIRES_ENROLLMENT, detail.requires_enrollment, True)
    expected_image = CoverImageFacts(PNG.file_name, PNG.content_type, len(PNG.data))
    read_or_said_why(detail, DetailField.COVER_IMAGE, detail.cover_image, expected_image)


def test_a_course_without_image_or_duration_shows_none_of_them(under_test: CatalogUnderTest) -> None:
    put = put_course(under_test)

    detail = shown(under_test, put.external_reference)

    assert detail.cover_image is None
    assert detail.reason_not_read(DetailField.COVER_IMAGE) is None, "a course with no image has none to read"
    assert detail.duration_minutes is None
    assert (detail.skills, detail.languages) == ((), ())


def test_no_course_is_shown_for_an_unknown_reference(under_test: CatalogUnderTest) -> None:
    put = put_course(under_test)

    assert under_test.catalog.course_detail(put.external_reference + "-NOT") is None


def test_an_inactive_course_is_listed_and_shown_as_inactive(under_test: CatalogUnderTest) -> None:
    put = put_course(under_test, active=False)

    listed = {c.external_reference: c for c in under_test.catalog.courses()}

    assert listed[put.external_reference].active is False
    assert shown(under_test, put.external_reference).course.active is False
