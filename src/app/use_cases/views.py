"""Read-only views of what Workday holds: its digital courses (a list, and one in full), its skills, and
learners' enrollments. Nothing here writes to Workday or to the ledger."""

from __future__ import annotations

from returns.result import Failure, Result, Success

from app.use_cases.lms import LmsRefusal, RefusalReason
from domain.content_dedup import CatalogCourse
from domain.course_detail import CourseDetail
from domain.learning_completions import Enrollment
from domain.learning_content import Named
from domain.ports.course_publisher import CoursePublisher
from domain.ports.enrollment_registry import EnrollmentRegistry
from domain.ports.learning_catalog import LearningCatalog


class ListContent:
    """Every digital course in Workday's catalog, by external reference."""

    def __init__(self, catalog: LearningCatalog) -> None:
        self._catalog = catalog

    def __call__(self) -> list[CatalogCourse]:
        return sorted(self._catalog.courses(), key=lambda c: (c.external_reference.casefold(), c.workday_id))


class ShowContent:
    """One digital course in full, by its exact external reference; a 404 refusal when no course has it."""

    def __init__(self, catalog: LearningCatalog) -> None:
        self._catalog = catalog

    def __call__(self, external_reference: str) -> Result[CourseDetail, LmsRefusal]:
        detail = self._catalog.course_detail(external_reference)
        if detail is None:
            return Failure(_no_course(external_reference))
        return Success(detail)


class ListSkills:
    """Workday's skills, by name: the names and IDs content may use."""

    def __init__(self, publisher: CoursePublisher) -> None:
        self._publisher = publisher

    def __call__(self) -> list[Named]:
        return sorted(self._publisher.skills(), key=lambda s: s.name.casefold())


class ListEnrollments:
    """A learner's enrollments, a course's, or a learner's in one course, as Workday holds them (completed or
    not, pushed or created on launch), by course, then learner, then Workday ID. A course no course has is a
    404 refusal; naming neither a learner nor a course is a 422 (every enrollment of the tenant is not a view).
    A learner Workday does not know has no enrollments."""

    def __init__(self, catalog: LearningCatalog, enrollments: EnrollmentRegistry) -> None:
        self._catalog = catalog
        self._enrollments = enrollments

    def __call__(self, learner_id: str | None, course_reference: str | None) -> Result[list[Enrollment], LmsRefusal]:
        if learner_id is None and course_reference is None:
            return Failure(LmsRefusal("name a learner, a course, or both", "learner_id"))
        course_id: str | None = None
        if course_reference is not None:
            course = self._catalog.course_by_reference(course_reference)
            if course is None:
                return Failure(_no_course(course_reference))
            course_id = course.workday_id
        found = self._enrollments.enrollments(learner_id, course_id)
        return Success(sorted(found, key=lambda e: (e.course_reference or "", e.course_id, e.learner_id, e.workday_id)))


def _no_course(external_reference: str) -> LmsRefusal:
    return LmsRefusal(
        f"no course has external_reference {external_reference!r}", "external_reference", reason=RefusalReason.NOT_FOUND
    )
