"""Digital courses, topics and skills read from Workday's replies (zeep's dict form) as domain values."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from adapters.workday.learning_elements import (
    COURSE_ID_TYPE,
    COURSE_LESSON_DATA,
    COURSE_TITLE,
    DIGITAL_COURSE_DATA,
    DIGITAL_COURSE_REFERENCE,
    EXTERNAL_CONTENT_LESSON_DATA,
    EXTERNAL_CONTENT_URL,
    ID,
    INACTIVE,
    LEARNING_TOPIC_DATA,
    LEARNING_TOPIC_NAME,
    LEARNING_TOPIC_REFERENCE,
    LESSON_ORDER,
    LESSON_TITLE,
    MAKE_LESSON_MANDATORY,
    MEDIA_LESSON_DATA,
    MEDIA_REFERENCE,
    SKILL_ID_TYPE,
    SKILL_ITEM_DATA,
    SKILL_ITEM_NAME,
    SKILL_ITEM_REFERENCE,
    TOPIC_ID_TYPE,
    WID,
    ids_of,
)
from domain.content_dedup import CatalogCourse
from domain.course_wrapper import Lesson, LessonKind
from domain.errors import InvalidValue
from domain.learning_content import Named


def catalog_course(item: dict[str, Any]) -> CatalogCourse | None:
    """A ``Learning_Digital_Course``; None when it lacks a WID or a course ID (it cannot be matched)."""
    ids = ids_of(item.get(DIGITAL_COURSE_REFERENCE))
    data = _dict(item.get(DIGITAL_COURSE_DATA))
    workday_id = ids.get(WID)
    external_reference = data.get(ID) or ids.get(COURSE_ID_TYPE)
    if not workday_id or not isinstance(external_reference, str):
        return None
    return CatalogCourse(workday_id, external_reference, str(data.get(COURSE_TITLE) or ""))


def course_lessons(item: dict[str, Any]) -> list[Lesson]:
    data = _dict(item.get(DIGITAL_COURSE_DATA))
    lessons = [_lesson(_dict(entry)) for entry in _list(data.get(COURSE_LESSON_DATA))]
    return sorted((lesson for lesson in lessons if lesson is not None), key=lambda lesson: lesson.order)


def _lesson(data: dict[str, Any]) -> Lesson | None:
    order = _whole(data.get(LESSON_ORDER))
    mandatory = bool(data.get(MAKE_LESSON_MANDATORY))
    external = _dict(data.get(EXTERNAL_CONTENT_LESSON_DATA))
    media = _dict(data.get(MEDIA_LESSON_DATA))
    if order is None:
        return None
    if external:
        title = str(external.get(LESSON_TITLE) or "")
        return Lesson(order, title, LessonKind.EXTERNAL, mandatory, url=external.get(EXTERNAL_CONTENT_URL))
    if media:
        title = str(media.get(LESSON_TITLE) or "")
        return Lesson(order, title, LessonKind.MEDIA, mandatory, media_wid=ids_of(media.get(MEDIA_REFERENCE)).get(WID))
    return None


def topic(item: dict[str, Any]) -> Named | None:
    """An active ``Learning_Topic``; None for an inactive or nameless one."""
    data = _dict(item.get(LEARNING_TOPIC_DATA))
    if data.get(INACTIVE):
        return None
    ids = ids_of(item.get(LEARNING_TOPIC_REFERENCE))
    return _named(data.get(LEARNING_TOPIC_NAME), ids.get(TOPIC_ID_TYPE) or ids.get(WID))


def skill(item: dict[str, Any]) -> Named | None:
    data = _dict(item.get(SKILL_ITEM_DATA))
    ids = ids_of(item.get(SKILL_ITEM_REFERENCE))
    return _named(data.get(SKILL_ITEM_NAME), ids.get(SKILL_ID_TYPE) or ids.get(WID))


def _named(name: object, id_: str | None) -> Named | None:
    try:
        return Named(str(name), id_) if isinstance(name, str) else None
    except InvalidValue:
        return None


def _whole(value: object) -> int | None:
    try:
        return int(Decimal(str(value))) if value is not None else None
    except InvalidOperation:
        return None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
