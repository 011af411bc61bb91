from __future__ import annotations

from abc import abstractmethod
from typing import Protocol, runtime_checkable

from returns.result import Result

from domain.content_dedup import CatalogCourse
from domain.course_wrapper import DigitalCourse
from domain.deliveries import DeliveryRefused
from domain.learning_content import Named
from domain.omissions import Publication


@runtime_checkable
class CoursePublisher(Protocol):
    """Writing digital courses to Workday (Manage_Learning_Course), and the taxonomy they must use.

    Contract:
    - ``publish(course, existing)`` creates the course (``existing`` None) or updates ``existing`` (its
      external reference becomes the course's), and returns the course as Workday now holds it, with what of it
      the tenant's Workday cannot take and was left out (languages, say, where its WSDL has no element for
      them). A course Workday refuses is a ``Failure`` with Workday's message; it is not retried.
    - ``topics`` and ``skills`` list what Workday has, for validation before any write.
    """

    @abstractmethod
    def publish(
        self, course: DigitalCourse, existing: CatalogCourse | None
    ) -> Result[Publication, DeliveryRefused]: ...

    @abstractmethod
    def topics(self) -> list[Named]: ...

    @abstractmethod
    def skills(self) -> list[Named]: ...
