"""The EnrollmentRegistry contract (see its docstring), run against the in-memory fake and
WorkdayEnrollmentRegistry talking to the sandbox's Learning web service over loopback HTTP. A launch from
Workday's UI is played by the fake's ``launch`` and the sandbox's ``learning.launch``."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import SecretStr
from returns.result import Failure, Success

from adapters.fakes import InMemoryEnrollmentRegistry, InMemoryWorkdayLearning
from adapters.retries import RetryPolicy
from adapters.workday.auth.credentials import IsuCredentials
from adapters.workday.learning.client import build_learning_client
from adapters.workday.learning.course_publisher import WorkdayCoursePublisher
from adapters.workday.learning.enrollment_registry import WorkdayEnrollmentRegistry
from adapters.workday.rate_limiter import TenantRateLimiter
from domain.content_dedup import CatalogCourse
from domain.course_wrapper import AccountSettings, wrap
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.learning_content import Content, Named
from domain.ports.course_publisher import CoursePublisher
from domain.ports.enrollment_registry import EnrollmentRegistry
from sandbox.config import SandboxConfig
from sandbox.population import worker_at
from sandbox.server import SandboxServer
from tests.sandbox_talent import sandbox_skills

POPULATION = SandboxConfig(workers=20, seed=3, soap_rate_limit=100)
LEARNER = worker_at(POPULATION, 0).employee_id
OTHER_LEARNER = worker_at(POPULATION, 1).employee_id
TENANT_LIMITER = TenantRateLimiter(50.0)
"""One limiter for the sandbox tenant, shared by every client the suite builds (the sandbox throttles, at 100 a
second here: the suite is about enrollments; the limit has tests of its own)."""
COMPLETED = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
_n = itertools.count(1)


@dataclass
class RegistryUnderTest:
    registry: EnrollmentRegistry
    publisher: CoursePublisher
    launch: Callable[[str, str], object]


@pytest.fixture(scope="module")
def enrollment_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(POPULATION) as server:
        yield server


@pytest.fixture(params=["fake", "sandbox"])
def under_test(request: pytest.FixtureRequest) -> Iterator[RegistryUnderTest]:
    if request.param == "fake":
        courses = InMemoryWorkdayLearning([Named("Sales", "TOPIC_SALES")])
        fake = InMemoryEnrollmentRegistry([LEARNER, OTHER_LEARNER], courses)
        yield RegistryUnderTest(fake, courses, fake.launch)
        return
    sandbox: SandboxServer = request.getfixturevalue("enrollment_sandbox")
    config = sandbox.config
    auth = IsuCredentials(config.isu_username, config.tenant, SecretStr(config.isu_password))
    client = build_learning_client(sandbox.learning_url(), auth, limiter=TENANT_LIMITER)
    retry = RetryPolicy(attempts=2)
    yield RegistryUnderTest(
        WorkdayEnrollmentRegistry(client, retry=retry),
        WorkdayCoursePublisher(client, sandbox_skills(sandbox, TENANT_LIMITER), retry=retry),
        sandbox.enrollments.launch,
    )
    client.close()


def a_course(under_test: RegistryUnderTest) -> CatalogCourse:
    n = next(_n)
    return (
        under_test.publisher.publish(wrap(a_content(n, f"enrollment-course-{n}"), AccountSettings()), None)
        .unwrap()
        .course
    )


def a_content(n: int, reference: str) -> Content:
    return Content(
        title=f"Enrollment course {n}",
        external_reference=reference,
        content_url=f"https://provider.example/e/{n}",
        categories=(Named("Sales"),),
    )


def a_completion(course: CatalogCourse, learner: str = LEARNER) -> LearningCompletion:
    return LearningCompletion(learner, course.external_reference, CompletionResult.PASS, COMPLETED, score=Decimal("90"))


def test_a_completion_without_an_enrollment_creates_one(under_test: RegistryUnderTest) -> None:
    course = a_course(under_test)

    result = under_test.registry.complete(a_completion(course), course.workday_id, None)

    assert isinstance(result, Success)
    done = result.unwrap()
    assert (done.learner_id, done.course_id, done.result) == (LEARNER, course.workday_id, CompletionResult.PASS)
    listed = under_test.registry.enrollments(LEARNER, course.workday_id)
    assert [e.workday_id for e in listed] == [done.workday_id]
    assert listed[0].course_reference == course.external_reference
    assert listed[0].completed_at == COMPLETED
    assert listed[0].score == Decimal("90")
    assert under_test.registry.get(done.workday_id) == listed[0]


def test_an_enrollment_stays_in_its_course_when_the_courses_reference_moves(under_test: RegistryUnderTest) -> None:
    course = a_course(under_test)
    done = under_test.registry.complete(a_completion(course), course.workday_id, None).unwrap()
    n = next(_n)
    moved = (
        under_test.publisher.publish(wrap(a_content(n, f"moved-course-{n}"), AccountSettings()), course).unwrap().course
    )

    [listed] = under_test.registry.enrollments(LEARNER, course.workday_id)

    assert moved.workday_id == course.workday_id
    assert (listed.workday_id, listed.course_id) == (done.workday_id, course.workday_id)
    assert listed.course_reference == f"moved-course-{n}"


def test_an_enrollment_workday_created_on_launch_is_listed_and_updated_in_place(
    under_test: RegistryUnderTest,
) -> None:
    course = a_course(under_test)
    under_test.launch(LEARNER, course.external_reference)

    [launched] = under_test.registry.enrollments(LEARNER, course.workday_id)
    result = under_test.registry.complete(a_completion(course), course.workday_id, launched)

    assert launched.launched_only
    assert isinstance(result, Success)
    assert result.unwrap().workday_id == launched.workday_id
    listed = under_test.registry.enrollments(LEARNER, course.workday_id)
    assert [e.workday_id for e in listed] == [launched.workday_id]


def test_listing_without_a_learner_gives_every_learners_enrollments(under_test: RegistryUnderTest) -> None:
    course = a_course(under_test)
    under_test.registry.complete(a_completion(course), course.workday_id, None)
    under_test.registry.complete(a_completion(course, OTHER_LEARNER), course.workday_id, None)

    learners = {e.learner_id for e in under_test.registry.enrollments(None, course.workday_id)}

    assert learners == {LEARNER, OTHER_LEARNER}


def test_a_completion_for_an_unknown_learner_is_refused_naming_them(under_test: RegistryUnderTest) -> None:
    course = a_course(under_test)

    result = under_test.registry.complete(a_completion(course, "no-such-employee"), course.workday_id, None)

    assert isinstance(result, Failure)
    assert "no-such-employee" in str(result.failure())
    assert not result.failure().retryable, "Workday judged the learner invalid: sending it again cannot help"


def test_a_learner_workday_does_not_know_has_no_enrollments(under_test: RegistryUnderTest) -> None:
    course = a_course(under_test)
    under_test.registry.complete(a_completion(course), course.workday_id, None)

    assert under_test.registry.enrollments("no-such-employee", course.workday_id) == []
    assert under_test.registry.enrollments("no-such-employee", None) == []


def test_a_rescinded_enrollment_is_no_longer_listed(under_test: RegistryUnderTest) -> None:
    course = a_course(under_test)
    done = under_test.registry.complete(a_completion(course), course.workday_id, None).unwrap()

    result = under_test.registry.rescind(done)

    assert isinstance(result, Success)
    assert under_test.registry.enrollments(LEARNER, course.workday_id) == []
