from __future__ import annotations

from abc import abstractmethod
from typing import Protocol, runtime_checkable

from returns.result import Result

from domain.deliveries import DeliveryRefused
from domain.learning_completions import Enrollment, LearningCompletion


@runtime_checkable
class EnrollmentRegistry(Protocol):
    """Learners' enrollments in Workday (Get_Learning_Enrollments, Put_Learning_Enrollment).

    Contract:
    - ``enrollments(learner_id, course_id)`` lists that learner's enrollments in the course named by its Workday
      ID (all learners' when ``learner_id`` is None, every course's when ``course_id`` is None), including the
      ones Workday created on launch. A course is named by its Workday ID, not its external reference: an
      enrollment stays in its course when the course's reference moves.
    - ``complete(completion, course_id, existing)`` records the completion on ``existing`` (updated in place)
      or, when None, on a new enrollment in the course of that Workday ID, and returns it. Refusals are
      ``Failure`` with Workday's message.
    - ``get`` returns one enrollment by Workday ID or None; ``rescind`` withdraws it (Rescind_Enrollment).
    """

    @abstractmethod
    def enrollments(self, learner_id: str | None, course_id: str | None) -> list[Enrollment]: ...

    @abstractmethod
    def complete(
        self, completion: LearningCompletion, course_id: str, existing: Enrollment | None
    ) -> Result[Enrollment, DeliveryRefused]: ...

    @abstractmethod
    def get(self, workday_id: str) -> Enrollment | None: ...

    @abstractmethod
    def rescind(self, enrollment: Enrollment) -> Result[Enrollment, DeliveryRefused]: ...
