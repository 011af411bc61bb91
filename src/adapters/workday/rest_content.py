"""The Learning REST API's content and lesson objects as domain values (reference section 8)."""

from __future__ import annotations

from typing import Any

from domain.content_dedup import CatalogCourse
from domain.course_wrapper import Lesson, LessonKind

CONTENT_ID = "id"
CONTENT_TITLE = "descriptor"
CONTENT_NUMBER = "contentNumber"
"""The course ID the connector gave the course (its external reference). INFERRED: by its name, next to ``id``."""
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
    return CatalogCourse(workday_id, number, str(item.get(CONTENT_TITLE) or ""))


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
