from __future__ import annotations

from abc import abstractmethod
from typing import Protocol, runtime_checkable

from domain.content_dedup import CatalogCourse
from domain.course_detail import CourseDetail
from domain.course_wrapper import Lesson


@runtime_checkable
class LearningCatalog(Protocol):
    """Reading Workday's learning catalog (digital courses), by SOAP or by REST.

    Contract:
    - ``course_by_reference`` returns the course whose external reference (Workday's course ID) is exactly
      that, or None.
    - ``courses_by_title`` returns every course whose title matches ignoring case and white space runs.
    - ``lessons`` returns a course's lessons in lesson order.
    - ``courses`` returns every digital course in the catalog, with whether it is active.
    - ``course_detail`` returns the course whose external reference is exactly that, in full (lessons,
      categories, skills, languages, duration, enrollment, the cover image's size), or None. A field this
      catalog cannot read is None and named, with the reason, in ``CourseDetail.not_read``; never guessed.
    - A catalog that cannot be read raises ``domain.errors.PortUnavailable`` (a subclass).
    """

    @abstractmethod
    def course_by_reference(self, external_reference: str) -> CatalogCourse | None: ...

    @abstractmethod
    def courses_by_title(self, title: str) -> list[CatalogCourse]: ...

    @abstractmethod
    def courses(self) -> list[CatalogCourse]: ...

    @abstractmethod
    def lessons(self, course: CatalogCourse) -> list[Lesson]: ...

    @abstractmethod
    def course_detail(self, external_reference: str) -> CourseDetail | None: ...
