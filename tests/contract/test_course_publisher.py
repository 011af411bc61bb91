"""The CoursePublisher contract (see its docstring), run against the in-memory fake and WorkdayCoursePublisher
talking to the sandbox's Learning web service over loopback HTTP."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr
from returns.result import Failure, Success

from adapters.fakes import InMemoryWorkdayLearning
from adapters.retries import RetryPolicy
from adapters.workday.auth.credentials import IsuCredentials
from adapters.workday.learning.catalog import SoapLearningCatalog
from adapters.workday.learning.client import build_learning_client
from adapters.workday.learning.course_publisher import WorkdayCoursePublisher
from adapters.workday.rate_limiter import TenantRateLimiter
from domain.course_wrapper import AccountSettings, DigitalCourse, wrap
from domain.learning_content import Content, Named
from domain.ports.course_publisher import CoursePublisher
from domain.ports.learning_catalog import LearningCatalog
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer
from tests.sandbox_talent import sandbox_skills

POPULATION = SandboxConfig(workers=20, seed=3, soap_rate_limit=100)
TOPICS = (Named("Sales", "TOPIC_SALES"), Named("Technology", "TOPIC_TECHNOLOGY"))
SKILLS = (Named("Negotiation", "SKILL_NEGOTIATION"),)
TENANT_LIMITER = TenantRateLimiter(50.0)
"""One limiter for the sandbox tenant, shared by every client the suite builds (the sandbox throttles, at 100 a
second here: the suite is about the catalog; the limit has tests of its own)."""
_n = itertools.count(1)


@dataclass
class PublisherUnderTest:
    publisher: CoursePublisher
    catalog: LearningCatalog


def _no_sleep(seconds: float) -> None:
    raise AssertionError(f"nothing in this suite should be retried, but the publisher would wait {seconds}s")


@pytest.fixture(scope="module")
def course_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(POPULATION) as server:
        yield server


@pytest.fixture(params=["fake", "sandbox"])
def under_test(request: pytest.FixtureRequest) -> Iterator[PublisherUnderTest]:
    if request.param == "fake":
        fake = InMemoryWorkdayLearning(TOPICS, SKILLS)
        yield PublisherUnderTest(fake, fake)
        return
    sandbox: SandboxServer = request.getfixturevalue("course_sandbox")
    config = sandbox.config
    auth = IsuCredentials(config.isu_username, config.tenant, SecretStr(config.isu_password))
    client = build_learning_client(sandbox.learning_url(), auth, limiter=TENANT_LIMITER)
    retry = RetryPolicy(attempts=2)
    yield PublisherUnderTest(
        WorkdayCoursePublisher(client, sandbox_skills(sandbox, TENANT_LIMITER), retry=retry, sleep=_no_sleep),
        SoapLearningCatalog(client, retry=retry),
    )
    client.close()


def a_course(**changes: Any) -> DigitalCourse:
    n = next(_n)
    fields: dict[str, Any] = {
        "title": f"Contract course {n}",
        "external_reference": f"contract-course-{n}",
        "content_url": f"https://provider.example/courses/{n}",
        "categories": (Named("Sales"),),
        "skills": (Named("Negotiation"),),
        "languages": ("en_GB",),
    }
    return wrap(Content(**(fields | changes)), AccountSettings())


def test_lists_the_tenants_topics_and_skills_with_their_ids_and_wids(under_test: PublisherUnderTest) -> None:
    topics = under_test.publisher.topics()
    skills = under_test.publisher.skills()

    assert ("Sales", "TOPIC_SALES") in [(t.name, t.id) for t in topics]
    assert ("Negotiation", "SKILL_NEGOTIATION") in [(s.name, s.id) for s in skills]
    assert all(named.workday_id for named in (*topics, *skills)), "a course refers to each by its WID"


def test_a_new_course_is_created_and_can_be_found_by_its_reference(under_test: PublisherUnderTest) -> None:
    course = a_course()

    result = under_test.publisher.publish(course, None)

    assert isinstance(result, Success)
    published = result.unwrap().course
    assert published.external_reference == course.external_reference
    assert under_test.catalog.course_by_reference(course.external_reference) == published
    lessons = under_test.catalog.lessons(published)
    assert [(lesson.order, lesson.mandatory, lesson.url) for lesson in lessons] == [(1, True, course.lessons[0].url)]


def test_an_update_rekeys_the_existing_course_to_the_new_reference(under_test: PublisherUnderTest) -> None:
    original = a_course()
    first = under_test.publisher.publish(original, None).unwrap().course
    renamed = a_course(title=original.title)

    second = under_test.publisher.publish(renamed, first)

    assert isinstance(second, Success)
    assert second.unwrap().course.workday_id == first.workday_id
    assert second.unwrap().course.external_reference == renamed.external_reference
    assert under_test.catalog.course_by_reference(original.external_reference) is None
    assert under_test.catalog.courses_by_title(original.title) == [second.unwrap().course]


def test_a_course_with_a_topic_workday_lacks_is_refused_naming_it(under_test: PublisherUnderTest) -> None:
    course = a_course(categories=(Named("Underwater Basketry"),))

    result = under_test.publisher.publish(course, None)

    assert isinstance(result, Failure)
    assert "Underwater Basketry" in str(result.failure())
    assert under_test.catalog.course_by_reference(course.external_reference) is None


def test_a_course_with_a_skill_workday_lacks_is_refused_naming_it(under_test: PublisherUnderTest) -> None:
    course = a_course(skills=(Named("Juggling"),))

    result = under_test.publisher.publish(course, None)

    assert isinstance(result, Failure)
    assert "Juggling" in str(result.failure())
