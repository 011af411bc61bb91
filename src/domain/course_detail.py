"""What Workday holds for one digital course, as the read-only views show it (``wlc content show``,
``GET /unified/lms/content/{external_reference}``): a read model, never sent back to Workday.

A catalog that cannot read a field (the Learning REST API gives no duration, for one) says so with a
``NotRead`` naming the field and why; that field is then None, which never stands for "Workday holds none"."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.content_dedup import CatalogCourse
from domain.course_wrapper import Lesson
from domain.errors import InvalidValue
from domain.learning_content import Named


@dataclass(frozen=True, slots=True)
class CoverImageFacts:
    """A course's cover image as Workday holds it, without its bytes."""

    file_name: str
    content_type: str
    size_bytes: int

    def __post_init__(self) -> None:
        if self.size_bytes < 0:
            raise InvalidValue("cover_image.size_bytes", f"{self.size_bytes} is negative")


class DetailField(StrEnum):
    """The fields a catalog may be unable to read."""

    DURATION = "duration_minutes"
    REQUIRES_ENROLLMENT = "requires_enrollment"
    COVER_IMAGE = "cover_image"


@dataclass(frozen=True, slots=True)
class NotRead:
    """``field`` could not be read from this catalog, and why (in words an operator can act on)."""

    field: DetailField
    reason: str


@dataclass(frozen=True, slots=True)
class CourseDetail:
    """One digital course in full. ``lessons`` are in lesson order; ``languages`` carry Workday's language ID
    (a locale code such as ``en_GB`` where the catalog gives one) and its name; ``duration_minutes`` is whole
    minutes. A field named in ``not_read`` is None: the catalog could not read it."""

    course: CatalogCourse
    description: str
    lessons: tuple[Lesson, ...]
    categories: tuple[Named, ...]
    skills: tuple[Named, ...]
    languages: tuple[Named, ...]
    duration_minutes: int | None
    requires_enrollment: bool | None
    cover_image: CoverImageFacts | None
    not_read: tuple[NotRead, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "lessons", tuple(sorted(self.lessons, key=lambda lesson: lesson.order)))
        if self.duration_minutes is not None and self.duration_minutes < 0:
            raise InvalidValue("duration_minutes", f"{self.duration_minutes} is negative")
        for missing in self.not_read:
            if getattr(self, missing.field.value) is not None:
                raise InvalidValue(missing.field.value, "is given a value but is also marked as not read")

    def reason_not_read(self, field: DetailField) -> str | None:
        """Why ``field`` was not read; None when it was."""
        return next((n.reason for n in self.not_read if n.field is field), None)
