"""The unified LMS operations (seed 001): content upsert through the course wrapper and the dedup rules,
completion push that updates rather than duplicates, completion delete, and categories."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol

from returns.result import Failure, Result, Success

from domain.content_dedup import CatalogCourse, Create, UpdateCourse, decide_upsert
from domain.course_wrapper import AccountSettings, CoverImage, wrap
from domain.deliveries import DeliveryRefused
from domain.learning_completions import Enrollment, LearningCompletion, check_names, enrollment_to_update
from domain.learning_content import Content, Named
from domain.omissions import Omission
from domain.ports.clock import Clock
from domain.ports.course_publisher import CoursePublisher
from domain.ports.cover_images import CoverImages
from domain.ports.enrollment_registry import EnrollmentRegistry
from domain.ports.learning_catalog import LearningCatalog
from domain.ports.sent_completions import SentCompletions


class RefusalReason(StrEnum):
    """Why an operation was refused, as its caller must take it."""

    INVALID = "invalid"
    """The input is invalid, or Workday judged it invalid (its Validation_Fault): sending it again cannot help."""
    NOT_FOUND = "not-found"
    CONFLICT = "conflict"
    UNAVAILABLE = "unavailable"
    """Workday failed: the operation may be tried again later."""


@dataclass(frozen=True, slots=True)
class LmsRefusal:
    """Why an operation was not done: its ``reason``, the ``field`` at fault if one is, and Workday's own words
    (``provider_errors``)."""

    message: str
    field: str | None = None
    provider_errors: tuple[str, ...] = ()
    reason: RefusalReason = RefusalReason.INVALID

    @property
    def retryable(self) -> bool:
        return self.reason is RefusalReason.UNAVAILABLE

    def __str__(self) -> str:
        return "; ".join((self.message, *self.provider_errors))


@dataclass(frozen=True, slots=True)
class UpsertOutcome:
    """The course as Workday now holds it; whether it was created, or updated after matching by its title
    (``rekeyed``); and what the tenant's Workday could not take and was left out."""

    course: CatalogCourse
    created: bool
    rekeyed: bool
    left_out: tuple[Omission, ...] = ()


class UpsertContent:
    """Validates everything before any write to Workday (topics, skills, the cover image), decides create or
    update by the dedup rules, wraps the content in its course and publishes it."""

    def __init__(
        self,
        catalog: LearningCatalog,
        publisher: CoursePublisher,
        images: CoverImages,
        account: AccountSettings,
    ) -> None:
        self._catalog = catalog
        self._publisher = publisher
        self._images = images
        self._account = account

    def __call__(self, content: Content) -> Result[UpsertOutcome, LmsRefusal]:
        topics = check_names(content.categories, self._publisher.topics(), "categories")
        if isinstance(topics, Failure):
            return Failure(LmsRefusal(topics.failure(), "categories"))
        skills: tuple[Named, ...] = ()
        if content.skills:
            checked = check_names(content.skills, self._publisher.skills(), "skills")
            if isinstance(checked, Failure):
                return Failure(LmsRefusal(checked.failure(), "skills"))
            skills = checked.unwrap()
        image: CoverImage | None = None
        if content.cover_url is not None:
            fetched = self._images.fetch(content.cover_url)
            if isinstance(fetched, Failure):
                return Failure(LmsRefusal(fetched.failure(), "cover_url"))  # it names the image and why
            image = fetched.unwrap()

        by_reference = self._catalog.course_by_reference(content.external_reference)
        decision = decide_upsert(
            content.external_reference, content.title, by_reference, self._catalog.courses_by_title(content.title)
        )
        if isinstance(decision, Failure):
            return Failure(LmsRefusal(decision.failure().message, "external_reference", reason=RefusalReason.CONFLICT))
        chosen = decision.unwrap()
        existing = chosen.course if isinstance(chosen, UpdateCourse) else None
        course = wrap(_with_workday_names(content, topics.unwrap(), skills), self._account, image)
        published = self._publisher.publish(course, existing)
        if isinstance(published, Failure):
            return Failure(_refused("the course", published.failure()))
        publication = published.unwrap()
        return Success(
            UpsertOutcome(
                publication.course,
                created=isinstance(chosen, Create),
                rekeyed=isinstance(chosen, UpdateCourse) and chosen.rekeyed,
                left_out=publication.left_out,
            )
        )


def _refused(what: str, refusal: DeliveryRefused) -> LmsRefusal:
    """Workday judged the item invalid (trying again cannot help), or Workday failed (try again later)."""
    if refusal.retryable:
        message = f"Workday could not take {what}; it may be tried again"
        return LmsRefusal(message, None, (str(refusal),), RefusalReason.UNAVAILABLE)
    return LmsRefusal(f"Workday refused {what}", None, (str(refusal),), RefusalReason.INVALID)


def _with_workday_names(content: Content, topics: tuple[Named, ...], skills: tuple[Named, ...]) -> Content:
    """The content's categories and skills as Workday names them (matched case-insensitively or by ID): a
    known ID with a wrong name must not reach Workday as the wrong name."""
    return replace(content, categories=topics, skills=skills)


class CourseFinder(Protocol):
    """Finds a course by its external reference (``LearningCatalog.course_by_reference``)."""

    def course_by_reference(self, external_reference: str) -> CatalogCourse | None: ...


class RecentCourses(CourseFinder):
    """A tenant's courses by external reference, as last read from ``catalog``, kept ``keep`` seconds: a completion
    push finds its course among them rather than reading the whole catalog again for every completion (a third of
    a delivery's requests, and the largest answers to parse). A reference not among them is read again at once (a
    course published since), so a course is found stale only when its reference moved to another course or it was
    removed, and then for ``keep`` seconds at most: Workday refuses the completion's Put, and the delivery is
    retried. With ``keep`` 0 the catalog is read for every lookup. Where references repeat, the first course read
    wins, as in ``course_by_reference``."""

    def __init__(self, catalog: LearningCatalog, clock: Clock, keep: float) -> None:
        self._catalog = catalog
        self._clock = clock
        self._keep = keep
        self._courses: dict[str, CatalogCourse] = {}
        self._read_at: float | None = None
        self._reading = threading.Lock()

    def course_by_reference(self, external_reference: str) -> CatalogCourse | None:
        with self._reading:
            now = self._clock.now().timestamp()
            kept = self._read_at is not None and now - self._read_at < self._keep
            if kept and external_reference in self._courses:
                return self._courses[external_reference]
            courses: dict[str, CatalogCourse] = {}
            for course in self._catalog.courses():
                courses.setdefault(course.external_reference, course)
            self._courses, self._read_at = courses, now
            return courses.get(external_reference)


class PushCompletion:
    """Records a completion on the learner's existing enrollment for the course (Workday made one when the
    learner launched the content), or on a new one when there is none: never a second enrollment. The course is
    the one the completion's reference names, or ``course_id`` (its Workday ID) when the caller knows it: a
    course whose reference has moved since is still that course."""

    def __init__(self, catalog: CourseFinder, enrollments: EnrollmentRegistry) -> None:
        self._catalog = catalog
        self._enrollments = enrollments

    def __call__(self, completion: LearningCompletion, course_id: str | None = None) -> Result[Enrollment, LmsRefusal]:
        reference = completion.learning_object_external_reference
        if course_id is None:
            course = self._catalog.course_by_reference(reference)
            if course is None:
                return Failure(
                    LmsRefusal(
                        f"no course has external_reference {reference!r}",
                        "learning_object_external_reference",
                        reason=RefusalReason.NOT_FOUND,
                    )
                )
            course_id = course.workday_id
        existing = enrollment_to_update(self._enrollments.enrollments(completion.learner_id, course_id))
        done = self._enrollments.complete(completion, course_id, existing)
        if isinstance(done, Failure):
            return Failure(_refused("the completion", done.failure()))
        return Success(done.unwrap())


class GetCompletion:
    def __init__(self, enrollments: EnrollmentRegistry) -> None:
        self._enrollments = enrollments

    def __call__(self, learner_id: str, enrollment_id: str) -> Enrollment | None:
        enrollment = self._enrollments.get(enrollment_id)
        return enrollment if enrollment is not None and enrollment.learner_id == learner_id else None


class DeleteCompletion:
    """Withdraws a learner's completion (Rescind_Enrollment): the cleanup for Workday's auto-completions. The
    account's completions delivered on that enrollment are marked withdrawn, so that ``reconcile`` does not
    push them back."""

    def __init__(self, enrollments: EnrollmentRegistry, sent: SentCompletions, account: str, clock: Clock) -> None:
        self._enrollments = enrollments
        self._sent = sent
        self._account = account
        self._clock = clock

    def __call__(self, learner_id: str, enrollment_id: str) -> Result[Enrollment, LmsRefusal]:
        enrollment = self._enrollments.get(enrollment_id)
        if enrollment is None or enrollment.learner_id != learner_id:
            return Failure(
                LmsRefusal(f"user {learner_id} has no completion {enrollment_id}", None, reason=RefusalReason.NOT_FOUND)
            )
        rescinded = self._enrollments.rescind(enrollment)
        if isinstance(rescinded, Failure):
            return Failure(_refused("the deletion", rescinded.failure()))
        self._sent.withdraw(self._account, enrollment.workday_id, self._clock.now())
        return Success(rescinded.unwrap())


class ListCategories:
    def __init__(self, publisher: CoursePublisher) -> None:
        self._publisher = publisher

    def __call__(self) -> list[Named]:
        return sorted(self._publisher.topics(), key=lambda t: t.name.casefold())
