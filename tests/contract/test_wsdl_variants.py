"""The Workday adapters against a sandbox playing each WSDL variant: what a tenant's WSDL names otherwise works
(names resolved from its own WSDL), what it lacks and a feature can do without is left out and said so, and what a
feature needs and it lacks fails that feature's items with ContractMismatch (or a retryable refusal naming it),
before anything is sent."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from pydantic import SecretStr
from returns.result import Failure, Success

from adapters.retries import RetryPolicy
from adapters.workday.auth.credentials import IsuCredentials
from adapters.workday.errors import ContractMismatch
from adapters.workday.learning.catalog import SoapLearningCatalog
from adapters.workday.learning.client import LearningClient, build_learning_client
from adapters.workday.learning.course_publisher import WorkdayCoursePublisher
from adapters.workday.learning.enrollment_registry import WorkdayEnrollmentRegistry
from adapters.workday.learning.transcript_sink import WorkdayTranscriptSink
from adapters.workday.soap.declaration import Feature
from adapters.workday.soap.resolution import Availability
from domain.course_wrapper import AccountSettings, DigitalCourse, wrap
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.learning_content import Content, Named
from domain.transcripts import ImportedContent, ImportedRecord
from sandbox.config import SandboxConfig
from sandbox.population import worker_at
from sandbox.server import SandboxServer
from sandbox.workday.wsdl_variants import VARIANTS
from tests.sandbox_talent import sandbox_skills

_n = itertools.count(1)
NO_RETRY = RetryPolicy(attempts=1)

UNAVAILABLE: dict[str, set[Feature]] = {
    "unknown-id-type": {Feature.TRANSCRIPTS},
    "required-names-missing": {Feature.TRANSCRIPTS, Feature.COMPLETION_PUSH, Feature.RECONCILE},
    "no-talent-skills": {Feature.SKILLS},
}
"""The features each variant leaves unavailable; every other feature works, some degraded."""
LEFT_OUT: dict[str, set[str]] = {"no-optional-course-elements": {"languages", "requires_enrollment"}}
"""What an upsert of a course with languages leaves out on each variant."""


@dataclass
class Adapters:
    variant: str
    sandbox: SandboxServer
    client: LearningClient
    sink: WorkdayTranscriptSink
    publisher: WorkdayCoursePublisher
    catalog: SoapLearningCatalog
    registry: WorkdayEnrollmentRegistry

    def unavailable(self, feature: Feature) -> bool:
        return feature in UNAVAILABLE.get(self.variant, set())

    def posts(self) -> int:
        return self.sandbox.counts.by_path("POST", f"/ccx/service/{self.sandbox.config.tenant}/Learning/v44.2")


@pytest.fixture(scope="module", params=list(VARIANTS))
def adapters(request: pytest.FixtureRequest) -> Iterator[Adapters]:
    config = SandboxConfig(workers=20, seed=3, completions=0, soap_rate_limit=None, wsdl_variant=request.param)
    with SandboxServer(config) as sandbox:
        auth = IsuCredentials(config.isu_username, config.tenant, SecretStr(config.isu_password))
        client = build_learning_client(sandbox.learning_url(), auth)
        yield Adapters(
            request.param,
            sandbox,
            client,
            WorkdayTranscriptSink(client, retry=NO_RETRY),
            WorkdayCoursePublisher(client, sandbox_skills(sandbox, retry=NO_RETRY), retry=NO_RETRY),
            SoapLearningCatalog(client, retry=NO_RETRY),
            WorkdayEnrollmentRegistry(client, retry=NO_RETRY),
        )
        client.close()


def a_course(**changes: object) -> DigitalCourse:
    n = next(_n)
    fields: dict[str, object] = {
        "title": f"Variant course {n}",
        "external_reference": f"variant-course-{n}",
        "content_url": f"https://provider.example/variant/{n}",
        "categories": (Named("Sales"),),
        "languages": ("en_GB",),
    }
    return wrap(Content(**(fields | changes)), AccountSettings())  # type: ignore[arg-type]


def test_imported_content_and_records_go_or_fail_each_naming_what_the_tenant_lacks(adapters: Adapters) -> None:
    learner = worker_at(adapters.sandbox.config, 0).employee_id
    n = next(_n)
    content = ImportedContent(1, f"variant-content-{n}", "Ethics", "Ethics. Credits: 1.")
    record = ImportedRecord(1, f"variant-record-{n}", learner, content.id, date(2026, 3, 4))

    content_sent = adapters.sink.put_content(content)
    before = adapters.posts()
    record_sent = adapters.sink.put_record(record)

    assert isinstance(content_sent, Success), content_sent
    if adapters.unavailable(Feature.TRANSCRIPTS):
        assert isinstance(record_sent, Failure)
        refusal = record_sent.failure()
        assert refusal.retryable
        assert "transcripts is unavailable on this tenant" in refusal.message
        assert adapters.posts() == before
        assert adapters.sandbox.workday_learning.record(record.id) is None
    else:
        assert isinstance(record_sent, Success), record_sent
        stored = adapters.sandbox.workday_learning.record(record.id)
        assert stored is not None
        assert stored.grade_id == "PASS"


def test_a_course_is_published_whole_or_without_what_the_tenant_cannot_take(adapters: Adapters) -> None:
    course = a_course()

    published = adapters.publisher.publish(course, None)

    assert isinstance(published, Success), published
    left_out = {omission.field for omission in published.unwrap().left_out}
    assert left_out == LEFT_OUT.get(adapters.variant, set())
    stored = adapters.sandbox.learning.course(course.external_reference)
    assert stored is not None
    assert bool(stored.language_ids) == ("languages" not in left_out)
    assert (stored.requires_enrollment is None) == ("requires_enrollment" in left_out)
    assert adapters.catalog.course_by_reference(course.external_reference) == published.unwrap().course


def test_skills_are_listed_from_talent_or_their_absence_is_named(adapters: Adapters) -> None:
    if adapters.unavailable(Feature.SKILLS):
        with pytest.raises(ContractMismatch, match=r"skills is unavailable on this tenant.*Get_Skills"):
            adapters.publisher.skills()
    else:
        assert any(skill.name == "Sales Techniques" for skill in adapters.publisher.skills())


def test_a_completion_is_recorded_or_refused_naming_what_the_tenant_lacks(adapters: Adapters) -> None:
    learner = worker_at(adapters.sandbox.config, 1).employee_id
    course = adapters.publisher.publish(a_course(languages=()), None).unwrap().course
    completion = LearningCompletion(
        learner, course.external_reference, CompletionResult.PASS, datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    )
    before = adapters.posts()

    if adapters.unavailable(Feature.COMPLETION_PUSH):
        with pytest.raises(ContractMismatch, match="Learning_Enrollment_Completion_Date"):
            adapters.registry.enrollments(learner, course.workday_id)
        with pytest.raises(ContractMismatch, match="completion push is unavailable on this tenant"):
            adapters.registry.complete(completion, course.workday_id, None)
        assert adapters.posts() == before
        return
    done = adapters.registry.complete(completion, course.workday_id, None)

    assert isinstance(done, Success), done
    [listed] = adapters.registry.enrollments(learner, course.workday_id)
    assert (listed.workday_id, listed.result) == (done.unwrap().workday_id, CompletionResult.PASS)
    assert adapters.registry.enrollments(worker_at(adapters.sandbox.config, 2).employee_id, course.workday_id) == []


def test_each_features_status_follows_the_variant(adapters: Adapters) -> None:
    names = adapters.client.names

    unavailable = {f for f in Feature if names.status(f).availability is Availability.UNAVAILABLE}

    assert unavailable == UNAVAILABLE.get(adapters.variant, set()) - {Feature.SKILLS}
