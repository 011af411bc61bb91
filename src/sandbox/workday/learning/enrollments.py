"""The tenant's legacy enrollments in its digital courses (put with Put_Learning_Enrollment, or created by
Workday when a learner launches content); per tenant, thread-safe.

``launch`` plays a learner starting a course from the Workday UI (seed 001, "Auto-Completion"): Workday creates
an enrollment by itself and completes the launched lesson; the course completes when that leaves nothing
mandatory, so a single-lesson course completes on launch, unless it holds a media lesson (the "Media File
Completion Blocker").

Every WID is 32 hex, a pure function of the seed, the tenant, the kind and a counter, so stable from run to run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from sandbox.clock import SandboxClock
from sandbox.config import SandboxConfig
from sandbox.population import worker_by_employee_id
from sandbox.workday.learning.courses import CourseStore, StoredCourse, tenant_wid

# Inferred: the reference IDs Workday generates when a Put gives none follow its "KIND-6-n" pattern.
_GENERATED_ENROLLMENT_ID = "LEARNING_ENROLLMENT-6-"


@dataclass(frozen=True, slots=True)
class StoredEnrollment:
    """A legacy enrollment. ``completed_lessons`` holds the orders of the lessons a launch completed;
    ``completion`` is the course's completion (None: in progress). A rescinded enrollment is withdrawn: the
    SOAP service no longer knows it, only this inspection does."""

    wid: str
    id: str
    course_wid: str
    learner_employee_id: str
    learner_wid: str
    registered_date: date | None = None
    completion: datetime | None = None
    score: Decimal | None = None
    grade_id: str | None = None
    rescinded: bool = False
    created_on_launch: bool = False
    completed_lessons: tuple[Decimal, ...] = ()
    puts: int = 1

    @property
    def status(self) -> Literal["Completed", "In Progress", "Rescinded"]:
        if self.rescinded:
            return "Rescinded"
        return "In Progress" if self.completion is None else "Completed"


class EnrollmentIdInUse(Exception):
    """An enrollment would get a Learning_Enrollment_ID another enrollment has."""


class EnrollmentStore:
    """One tenant's enrollments, in the courses of ``courses``. Tests read it through
    ``SandboxServer.enrollments``."""

    def __init__(self, tenant: str, config: SandboxConfig, clock: SandboxClock, courses: CourseStore) -> None:
        self.tenant = tenant
        self._config = config
        self._clock = clock
        self._courses = courses
        self._lock = threading.Lock()
        self._enrollments: dict[str, StoredEnrollment] = {}
        self._created = 0

    def enrollments(self, *, include_rescinded: bool = True) -> list[StoredEnrollment]:
        """Every enrollment, in the order they were created."""
        with self._lock:
            return [e for e in self._enrollments.values() if include_rescinded or not e.rescinded]

    def enrollment(self, enrollment_id: str) -> StoredEnrollment | None:
        """The enrollment whose Learning_Enrollment_ID is ``enrollment_id`` (rescinded ones included)."""
        with self._lock:
            return next((e for e in self._enrollments.values() if e.id == enrollment_id), None)

    def enrollments_of(self, employee_id: str, course_reference: str | None = None) -> list[StoredEnrollment]:
        """A learner's enrollments (rescinded ones included), in one course if ``course_reference`` (its
        Learning_Course_ID or WID) is given."""
        course = None if course_reference is None else self._courses.course_named(course_reference)
        return [
            e
            for e in self.enrollments()
            if e.learner_employee_id == employee_id and (course is None or e.course_wid == course.wid)
        ]

    def find_enrollment(self, id_type: str, value: str) -> StoredEnrollment | None:
        """A live (not rescinded) enrollment by WID or Learning_Enrollment_ID."""
        with self._lock:
            if id_type == "WID":
                found = self._enrollments.get(value.strip().lower())
            else:
                found = next((e for e in self._enrollments.values() if e.id == value), None)
            return None if found is None or found.rescinded else found

    def put_enrollment(
        self,
        target_wid: str | None,
        enrollment_id: str | None,
        build: Callable[[StoredEnrollment | None], StoredEnrollment],
    ) -> StoredEnrollment:
        """Updates the enrollment ``target_wid`` or creates one; ``build(existing)`` makes the new version (its
        ``wid``, ``id`` and ``puts`` are replaced). Raises ``EnrollmentIdInUse``."""
        with self._lock:
            existing = None if target_wid is None else self._enrollments.get(target_wid)
            holder = None
            if enrollment_id is not None:
                holder = next((e for e in self._enrollments.values() if e.id == enrollment_id), None)
            if holder is not None and (existing is None or holder.wid != existing.wid):
                raise EnrollmentIdInUse(enrollment_id)
            return self._store_enrollment(existing, enrollment_id, build(existing))

    def launch(self, employee_id: str, course_reference: str, lesson_order: int | None = None) -> StoredEnrollment:
        """A learner launches a course from the Workday UI. Workday finds the learner's live enrollment in the
        course or creates one (``created_on_launch``), completes the launched lesson (the first external lesson,
        or the one of ``lesson_order``) and, when no mandatory lesson is left and the course holds no media
        lesson, completes the course now. Raises ``LookupError`` for an unknown learner or course and
        ``ValueError`` for a course with no external lesson to launch."""
        worker = worker_by_employee_id(self._config, employee_id)
        if worker is None:
            raise LookupError(f"no worker has Employee_ID {employee_id!r}")
        course = self._courses.course_named(course_reference)
        if course is None:
            raise LookupError(f"no course is {course_reference!r}")
        externals = [lesson for lesson in course.lessons if lesson.kind == "external"]
        if lesson_order is not None:
            externals = [lesson for lesson in externals if lesson.order == lesson_order]
        if not externals:
            raise ValueError(f"course {course.course_id!r} has no external lesson to launch")
        launched = min(externals, key=lambda lesson: lesson.order)
        now = self._clock.now_datetime()
        with self._lock:
            current = next(
                (
                    e
                    for e in self._enrollments.values()
                    if not e.rescinded and e.course_wid == course.wid and e.learner_employee_id == employee_id
                ),
                None,
            )
            base = current or StoredEnrollment(
                wid="",
                id="",
                course_wid=course.wid,
                learner_employee_id=employee_id,
                learner_wid=worker.wid,
                registered_date=now.date(),
                created_on_launch=True,
            )
            done = tuple(sorted({*base.completed_lessons, launched.order}))
            completion = base.completion
            if completion is None and _course_complete(course, done):
                completion = now
            updated = replace(base, completed_lessons=done, completion=completion)
            if current is None:
                return self._store_enrollment(None, None, updated)
            self._enrollments[current.wid] = updated  # a launch is not a put: ``puts`` is unchanged
            return updated

    # Internals (the lock is held by the caller)

    def _store_enrollment(
        self, existing: StoredEnrollment | None, enrollment_id: str | None, enrollment: StoredEnrollment
    ) -> StoredEnrollment:
        if existing is None:
            self._created += 1
            wid = tenant_wid(self._config.seed, self.tenant, "enrollment", str(self._created))
            new_id = enrollment_id or f"{_GENERATED_ENROLLMENT_ID}{self._created}"
            stored = replace(enrollment, wid=wid, id=new_id, puts=1)
        else:
            stored = replace(enrollment, wid=existing.wid, id=enrollment_id or existing.id, puts=existing.puts + 1)
        self._enrollments[stored.wid] = stored
        return stored


def _course_complete(course: StoredCourse, done: Sequence[Decimal]) -> bool:
    # Inferred: a media lesson (the completion blocker) is finished only by opening it in Workday, so a course
    # holding one never completes on launch; otherwise the course completes when every mandatory lesson is done.
    if course.has_media_lesson:
        return False
    return all(lesson.order in done for lesson in course.lessons if lesson.mandatory)
