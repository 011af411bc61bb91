"""The Learning REST API's content and lesson objects as domain values (reference section 8)."""

from __future__ import annotations

from typing import Any

from domain.content_dedup import CatalogCourse
from domain.course_detail import CourseDetail, DetailField, NotRead
from domain.course_wrapper import Lesson, LessonKind
from domain.errors import InvalidValue
from domain.learning_content import Named

CONTENT_ID = "id"
CONTENT_TITLE = "descriptor"
CONTENT_DESCRIPTION = "description"
CONTENT_NUMBER = "contentNumber"
"""The course ID the connector gave the course (its external reference). INFERRED: by its name, next to ``id``."""
LIFECYCLE_STATUS = "lifecycleStatus"
INACTIVE_STATUS = "Inactive"
"""INFERRED: the lifecycle status of an inactive course; any other status (or none) is taken as active."""
TOPICS = "topics"
SKILLS = "skills"
LANGUAGES = "languages"
NAMED_ID = "id"
NAMED_DESCRIPTOR = "descriptor"
IMAGE = "image"
_NOT_IN_REST = 'the Learning REST API does not give it; set lms.catalog = "soap" to see it'
LESSON_ORDER = "order"
LESSON_TITLE = "descriptor"
LESSON_REQUIRED = "required"
EXTERNAL_CONTENT_DATA = "externalContentData"
CONTENT_URL = "contentURL"


def catalog_course(item: dict[str, Any]) -> CatalogCourse | None:
    """A content item; None without an ``id`` or a ``contentNumber`` (it cannot be matched)."""
    workday_id, number = item.get(CONTENT_ID), item.get(CONTENT_NUMBER)
    if not isinstance(workday_id, str) or not isinstance(number, str) or not number:
        return None
    active = item.get(LIFECYCLE_STATUS) != INACTIVE_STATUS
    return CatalogCourse(workday_id, number, str(item.get(CONTENT_TITLE) or ""), active)


def course_detail(item: dict[str, Any], lessons: list[Lesson]) -> CourseDetail | None:
    """A content item and its lessons in full, as far as the REST API describes them: it gives no duration, no
    enrollment setting and, for a cover image, only a public URL, so those are marked as not read. Languages
    and skills are named by their descriptors, with WIDs as IDs (the API gives no locale codes)."""
    course = catalog_course(item)
    if course is None:
        return None
    not_read = [NotRead(DetailField.DURATION, _NOT_IN_REST), NotRead(DetailField.REQUIRES_ENROLLMENT, _NOT_IN_REST)]
    if isinstance(item.get(IMAGE), dict):
        reason = 'the Learning REST API gives only its URL; set lms.catalog = "soap" to see its size'
        not_read.append(NotRead(DetailField.COVER_IMAGE, reason))
    return CourseDetail(
        course=course,
        description=str(item.get(CONTENT_DESCRIPTION) or ""),
        lessons=tuple(lessons),
        categories=_named_list(item.get(TOPICS)),
        skills=_named_list(item.get(SKILLS)),
        languages=_named_list(item.get(LANGUAGES)),
        duration_minutes=None,
        requires_enrollment=None,
        cover_image=None,
        not_read=tuple(not_read),
    )


def _named_list(value: object) -> tuple[Named, ...]:
    named: list[Named] = []
    for entry in value if isinstance(value, list) else []:
        if not isinstance(entry, dict):
            continue
        id_, name = entry.get(NAMED_ID), entry.get(NAMED_DESCRIPTOR)
        id_ = id_ if isinstance(id_, str) and id_ else None
        try:
            named.append(Named(name if isinstance(name, str) and name.strip() else id_ or "", id_))
        except InvalidValue:
            continue  # neither a name nor an ID: nothing to show
    return tuple(named)


def lesson(item: dict[str, Any]) -> Lesson | None:
    order = item.get(LESSON_ORDER)
    if not isinstance(order, int | float) or isinstance(order, bool):
        return None
    title = str(item.get(LESSON_TITLE) or "")
    mandatory = bool(item.get(LESSON_REQUIRED))
    external = item.get(EXTERNAL_CONTENT_DATA)
    if isinstance(external, dict):
        url = external.get(CONTENT_URL)
        return Lesson(int(order), title, LessonKind.EXTERNAL, mandatory, url=url if isinstance(url, str) else None)
    # The REST API names no media file: a lesson without external content is the media lesson, WID unknown.
    return Lesson(int(order), title, LessonKind.MEDIA, mandatory)
