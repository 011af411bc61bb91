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
    - ``enrollments(learner_id, course_reference)`` lists that learner's enrollments in the course (all
      learners' when ``learner_id`` is None), including the ones Workday created on launch.
    - ``complete(completion, existing)`` records the completion on ``existing`` (updated in place) or, when
      None, on a new enrollment, and returns it. Refusals are ``Failure`` with Workday's message.
    - ``get`` returns one enrollment by Workday ID or None; ``rescind`` withdraws it (Rescind_Enrollment).
    """

    @abstractmethod
    def enrollments(self, learner_id: str | None, course_reference: str | None) -> list[Enrollment]: ...

    @abstractmethod
    def complete(
        self, completion: LearningCompletion, existing: Enrollment | None
    ) -> Result[Enrollment, DeliveryRefused]: ...

    @abstractmethod
    def get(self, workday_id: str) -> Enrollment | None: ...

    @abstractmethod
    def rescind(self, enrollment: Enrollment) -> Result[Enrollment, DeliveryRefused]: ...
