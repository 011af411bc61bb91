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
    must update rather than add. A rescinded enrollment is gone from listings. ``unavailable`` plays Workday
    failing the next that many writes after retries ran out: refusals that may be tried again."""

    def __init__(self, learners: Iterable[str] | None = None, catalog: LearningCatalog | None = None) -> None:
        self.learners = None if learners is None else set(learners)
        self.catalog = catalog
        self.by_id: dict[str, Enrollment] = {}
        self.rescinded: dict[str, Enrollment] = {}
        self.puts = 0
        self.unavailable = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def enrollments(self, learner_id: str | None, course_reference: str | None) -> list[Enrollment]:
        with self._lock:
            return sorted(
                (
                    e
                    for e in self.by_id.values()
                    if (learner_id is None or e.learner_id == learner_id)
                    and (course_reference is None or e.course_reference == course_reference)
                ),
                key=lambda e: e.workday_id,
            )

    def launch(self, learner_id: str, course_reference: str) -> Enrollment:
        """What Workday does when a learner launches the course: an enrollment it created itself."""
        with self._lock:
            enrollment = Enrollment(self._next_id(), learner_id, course_reference, launched_only=True)
            self.by_id[enrollment.workday_id] = enrollment
            return enrollment

    def complete(
        self, completion: LearningCompletion, existing: Enrollment | None
    ) -> Result[Enrollment, DeliveryRefused]:
        with self._lock:
            self.puts += 1
            problem = self._problem(completion.learner_id, completion.learning_object_external_reference)
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
                else Enrollment(self._next_id(), completion.learner_id, completion.learning_object_external_reference)
            )
            updated = replace(
                base,
                completed_at=completion.completed_at,
                result=completion.result,
                score=completion.score,
            )
            self.by_id[updated.workday_id] = updated
            return Success(updated)

    def get(self, workday_id: str) -> Enrollment | None:
        with self._lock:
            return self.by_id.get(workday_id)

    def rescind(self, enrollment: Enrollment) -> Result[Enrollment, DeliveryRefused]:
        with self._lock:
            current = self.by_id.pop(enrollment.workday_id, None)
            if current is None:
                what = f"enrollment {enrollment.workday_id}"
                return Failure(DeliveryRefused(what, _invalid_wid(enrollment.workday_id), retryable=False))
            self.rescinded[current.workday_id] = current
            return Success(current)

    def _problem(self, learner_id: str, course_reference: str) -> str | None:
        if self.learners is not None and learner_id not in self.learners:
            return f"Invalid ID value. '{learner_id}' is not a valid ID value for type = 'Employee_ID'"
        if self.catalog is not None and self.catalog.course_by_reference(course_reference) is None:
            return f"Invalid ID value. '{course_reference}' is not a valid ID value for type = 'Learning_Course_ID'"
        return None

    def _next_id(self) -> str:
        return f"wid-enrollment-{next(self._ids):06d}"


def _invalid_wid(workday_id: str) -> str:
    return f"Invalid ID value. '{workday_id}' is not a valid ID value for type = 'WID'"
