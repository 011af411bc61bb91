from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable
from dataclasses import replace

from returns.result import Failure, Result, Success

from domain.deliveries import DeliveryRefused
from domain.learning_completions import Enrollment, LearningCompletion
from domain.ports.enrollment_registry import EnrollmentRegistry
from domain.ports.learning_catalog import LearningCatalog


class InMemoryEnrollmentRegistry(EnrollmentRegistry):
    """Workday's learning enrollments in a dict. ``learners`` (when given) are the Employee IDs Workday knows;
    ``catalog`` (when given) is where a course reference must exist. ``launch`` plays a learner launching the
    content from Workday's UI: Workday creates an enrollment by itself (``launched_only``), which is why a push
    must update rather than add. An enrollment holds its course by Workday ID, and shows the course's current
    external reference (without a ``catalog``, a course's ID is its reference). A rescinded enrollment is gone
    from listings. ``unavailable`` plays Workday failing the next that many writes after retries ran out:
    refusals that may be tried again."""

    def __init__(self, learners: Iterable[str] | None = None, catalog: LearningCatalog | None = None) -> None:
        self.learners = None if learners is None else set(learners)
        self.catalog = catalog
        self.by_id: dict[str, Enrollment] = {}
        self.rescinded: dict[str, Enrollment] = {}
        self.puts = 0
        self.unavailable = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def enrollments(self, learner_id: str | None, course_id: str | None) -> list[Enrollment]:
        with self._lock:
            held = sorted(
                (
                    e
                    for e in self.by_id.values()
                    if (learner_id is None or e.learner_id == learner_id)
                    and (course_id is None or e.course_id == course_id)
                ),
                key=lambda e: e.workday_id,
            )
        return [self._shown(e) for e in held]

    def launch(self, learner_id: str, course_reference: str) -> Enrollment:
        """What Workday does when a learner launches the course: an enrollment it created itself."""
        course_id = self.course_id(course_reference)
        if course_id is None:
            raise LookupError(f"no course has external reference {course_reference!r}")
        with self._lock:
            enrollment = Enrollment(self._next_id(), learner_id, course_id, launched_only=True)
            self.by_id[enrollment.workday_id] = enrollment
        return self._shown(enrollment)

    def course_id(self, course_reference: str) -> str | None:
        """The Workday ID of the course that now has this external reference (for tests)."""
        if self.catalog is None:
            return course_reference
        course = self.catalog.course_by_reference(course_reference)
        return None if course is None else course.workday_id

    def _shown(self, enrollment: Enrollment) -> Enrollment:
        """The enrollment with its course's current external reference."""
        if self.catalog is None:
            return replace(enrollment, course_reference=enrollment.course_id)
        course = next((c for c in self.catalog.courses() if c.workday_id == enrollment.course_id), None)
        return replace(enrollment, course_reference=None if course is None else course.external_reference)

    def complete(
        self, completion: LearningCompletion, course_id: str, existing: Enrollment | None
    ) -> Result[Enrollment, DeliveryRefused]:
        known_course = self.catalog is None or any(c.workday_id == course_id for c in self.catalog.courses())
        with self._lock:
            self.puts += 1
            problem = self._problem(completion.learner_id, course_id, known_course)
            what = f"completion of {completion.learning_object_external_reference!r} by {completion.learner_id!r}"
            if self.unavailable > 0:
                self.unavailable -= 1
                return Failure(
                    DeliveryRefused(what, "503 Service Unavailable; gave up after 5 attempts", retryable=True)
                )
            if problem is not None:
                return Failure(DeliveryRefused(what, problem, retryable=False))
            if existing is not None and existing.workday_id not in self.by_id:
                return Failure(DeliveryRefused(what, _invalid_wid(existing.workday_id), retryable=False))
            base = (
                self.by_id[existing.workday_id]
                if existing is not None
                else Enrollment(self._next_id(), completion.learner_id, course_id)
            )
            updated = replace(
                base,
                completed_at=completion.completed_at,
                result=completion.result,
                score=completion.score,
            )
            self.by_id[updated.workday_id] = updated
        return Success(self._shown(updated))

    def get(self, workday_id: str) -> Enrollment | None:
        with self._lock:
            held = self.by_id.get(workday_id)
        return None if held is None else self._shown(held)

    def rescind(self, enrollment: Enrollment) -> Result[Enrollment, DeliveryRefused]:
        with self._lock:
            current = self.by_id.pop(enrollment.workday_id, None)
            if current is None:
                what = f"enrollment {enrollment.workday_id}"
                return Failure(DeliveryRefused(what, _invalid_wid(enrollment.workday_id), retryable=False))
            self.rescinded[current.workday_id] = current
        return Success(self._shown(current))

    def _problem(self, learner_id: str, course_id: str, known_course: bool) -> str | None:
        if self.learners is not None and learner_id not in self.learners:
            return f"Invalid ID value. '{learner_id}' is not a valid ID value for type = 'Employee_ID'"
        if not known_course:
            return f"Invalid ID value. '{course_id}' is not a valid ID value for type = 'WID'"
        return None

    def _next_id(self) -> str:
        return f"wid-enrollment-{next(self._ids):06d}"


def _invalid_wid(workday_id: str) -> str:
    return f"Invalid ID value. '{workday_id}' is not a valid ID value for type = 'WID'"
