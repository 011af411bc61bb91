"""The wire models of the read-only views of what Workday holds (content, skills, enrollments), and how domain
values become them. The CLI's ``--json`` prints the same models, so a script reads one shape from either."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.http.schemas import CategoryOut
from domain.content_dedup import CatalogCourse
from domain.course_detail import CourseDetail, DetailField
from domain.course_wrapper import Lesson, LessonKind
from domain.learning_completions import CompletionResult, Enrollment
from domain.learning_content import Named


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


def named_out(named: Named) -> CategoryOut:
    """A category or skill: ``id`` is Workday's ID, or the name for one without an ID."""
    return CategoryOut(id=named.id or named.name, remote_id=named.id, name=named.name)


class ContentSummaryOut(_Out):
    id: str = Field(description="Our id: the external reference.")
    remote_id: str = Field(description="Workday's course WID.")
    external_reference: str
    title: str
    active: bool

    @classmethod
    def of(cls, course: CatalogCourse) -> ContentSummaryOut:
        reference = course.external_reference
        return cls(
            id=reference,
            remote_id=course.workday_id,
            external_reference=reference,
            title=course.title,
            active=course.active,
        )


class ContentPage(_Out):
    data: list[ContentSummaryOut]
    next: str | None


class LessonOut(_Out):
    order: int
    title: str
    type: LessonKind
    url: str | None = Field(description="An external lesson's URL.")
    media_wid: str | None = Field(description="A media lesson's media file, where the catalog names it.")
    mandatory: bool

    @classmethod
    def of(cls, lesson: Lesson) -> LessonOut:
        return cls(
            order=lesson.order,
            title=lesson.title,
            type=lesson.kind,
            url=lesson.url,
            media_wid=lesson.media_wid,
            mandatory=lesson.mandatory,
        )


class LanguageOut(_Out):
    id: str | None = Field(description="Workday's language ID: a locale code such as en_GB, or a WID over REST.")
    name: str


class CoverImageOut(_Out):
    file_name: str
    content_type: str
    size_bytes: int


class NotReadOut(_Out):
    field: DetailField
    reason: str


class ContentDetailOut(ContentSummaryOut):
    description: str
    lessons: list[LessonOut] = Field(description="In lesson order.")
    categories: list[CategoryOut] = Field(description="Workday's learning topics.")
    skills: list[CategoryOut]
    languages: list[LanguageOut]
    duration_minutes: int | None = Field(description="Whole minutes; null when Workday holds none, or not read.")
    requires_enrollment: bool | None
    cover_image: CoverImageOut | None = Field(description="The cover image's size and type, not the image.")
    not_read: list[NotReadOut] = Field(
        description="Fields this tenant's catalog cannot read (they are null), each with the reason."
    )

    @classmethod
    def of_detail(cls, detail: CourseDetail) -> ContentDetailOut:
        summary = ContentSummaryOut.of(detail.course)
        image = detail.cover_image
        return cls(
            **summary.model_dump(),
            description=detail.description,
            lessons=[LessonOut.of(lesson) for lesson in detail.lessons],
            categories=[named_out(c) for c in detail.categories],
            skills=[named_out(s) for s in detail.skills],
            languages=[LanguageOut(id=language.id, name=language.name) for language in detail.languages],
            duration_minutes=detail.duration_minutes,
            requires_enrollment=detail.requires_enrollment,
            cover_image=None
            if image is None
            else CoverImageOut(file_name=image.file_name, content_type=image.content_type, size_bytes=image.size_bytes),
            not_read=[NotReadOut(field=n.field, reason=n.reason) for n in detail.not_read],
        )


class ContentDetailOne(_Out):
    data: ContentDetailOut


class SkillPage(_Out):
    data: list[CategoryOut]
    next: str | None


class EnrollmentOut(_Out):
    id: str = Field(description="Workday's enrollment WID.")
    learner_id: str = Field(description="The learner's Employee ID.")
    course_id: str = Field(description="The course's Workday ID (WID).")
    learning_object_external_reference: str | None = Field(
        description="The course's external reference; null when Workday does not give it."
    )
    completed_at: datetime | None = Field(description="Null while the course is not completed.")
    result: CompletionResult | None = Field(description="Workday's grade; null when it holds none.")
    score: float | None = Field(description="0 to 100.")
    launched_only: bool = Field(
        description="Workday created it when the learner launched the content; false: pushed or enrolled."
    )

    @classmethod
    def of(cls, enrollment: Enrollment) -> EnrollmentOut:
        return cls(
            id=enrollment.workday_id,
            learner_id=enrollment.learner_id,
            course_id=enrollment.course_id,
            learning_object_external_reference=enrollment.course_reference,
            completed_at=enrollment.completed_at,
            result=enrollment.result,
            score=None if enrollment.score is None else float(enrollment.score),
            launched_only=enrollment.launched_only,
        )


class EnrollmentPage(_Out):
    data: list[EnrollmentOut]
    next: str | None
