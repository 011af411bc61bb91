"""Digital courses (in brief and in full), topics and skills read from Workday's replies (zeep's dict form) as
domain values."""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from adapters.workday.learning import contract
from adapters.workday.learning.names import (
    CONTENT_TYPE,
    COURSE_ID_TYPE,
    COURSE_IMAGE_DATA,
    COURSE_LESSON_DATA,
    COURSE_TITLE,
    DESCRIPTION,
    DIGITAL_COURSE_DATA,
    DIGITAL_COURSE_REFERENCE,
    EXTERNAL_CONTENT_LESSON_DATA,
    EXTERNAL_CONTENT_URL,
    FILE_NAME,
    HOURS,
    IMAGE,
    INACTIVE,
    LANGUAGE_ID_TYPE,
    LANGUAGE_REFERENCE,
    LEARNING_TOPIC_DATA,
    LEARNING_TOPIC_NAME,
    LEARNING_TOPIC_REFERENCE,
    LESSON_ORDER,
    LESSON_TITLE,
    MAKE_LESSON_MANDATORY,
    MEDIA_LESSON_DATA,
    MEDIA_REFERENCE,
    MINUTES,
    REQUIRES_ENROLLMENT,
    SKILL_ID_TYPE,
    SKILL_REFERENCE,
    TIME_UNIT_ID_TYPE,
    TIME_VALUE_REFERENCE,
    TOPIC_ID_TYPE,
    TOPIC_REFERENCE,
    TOTAL_COURSE_DURATION,
)
from adapters.workday.soap.declaration import Name
from adapters.workday.soap.names import DESCRIPTOR, ID, WID, ids_of
from adapters.workday.soap.resolution import Resolution
from domain.content_dedup import CatalogCourse
from domain.course_detail import CourseDetail, CoverImageFacts, DetailField, NotRead
from domain.course_wrapper import Lesson, LessonKind
from domain.errors import InvalidValue
from domain.iso_durations import whole_minutes
from domain.learning_content import Named

_UNIT_MINUTES = {MINUTES: Decimal(1), HOURS: Decimal(60)}


def catalog_course(item: dict[str, Any]) -> CatalogCourse | None:
    """A ``Learning_Digital_Course``; None when it lacks a WID or a course ID (it cannot be matched)."""
    ids = ids_of(item.get(DIGITAL_COURSE_REFERENCE))
    data = _dict(item.get(DIGITAL_COURSE_DATA))
    workday_id = ids.get(WID)
    external_reference = data.get(ID) or ids.get(COURSE_ID_TYPE)
    if not workday_id or not isinstance(external_reference, str):
        return None
    active = not data.get(INACTIVE)
    return CatalogCourse(workday_id, external_reference, str(data.get(COURSE_TITLE) or ""), active)


def course_detail(item: dict[str, Any], names: Resolution | None = None) -> CourseDetail | None:
    """A ``Learning_Digital_Course`` read with its image, in full; None as for ``catalog_course``. A reference
    is named by its ``Descriptor``, else by its ID; a duration in a time unit other than minutes or hours is
    reported as not read rather than converted by guess.

    Languages, skills and the enrollment-required flag are read under the names the tenant's WSDL has for them
    (``names``, the resolution of ``learning.contract``; without it, the sourced names): the course read is the
    ``Learning_Course_DataType`` that ``Manage_Learning_Course`` sends, so the names resolved for sending it are
    the names it is read back by. A tenant whose WSDL has no enrollment-required flag has that field not read;
    one without languages or skills holds none."""
    course = catalog_course(item)
    if course is None:
        return None
    data = _dict(item.get(DIGITAL_COURSE_DATA))
    minutes, image = _minutes(data), _image(_dict(data.get(COURSE_IMAGE_DATA)))
    requires_name = _tenants(names, contract.COURSE_REQUIRES_ENROLLMENT, REQUIRES_ENROLLMENT)
    requires = data.get(requires_name) if requires_name is not None else _no_flag(names)
    languages = _tenants(names, contract.COURSE_LANGUAGES, LANGUAGE_REFERENCE)
    language_id = _tenants(names, contract.COURSE_LANGUAGE_ID_TYPE, LANGUAGE_ID_TYPE) or LANGUAGE_ID_TYPE
    skills = _tenants(names, contract.COURSE_SKILLS, SKILL_REFERENCE)
    return CourseDetail(
        course=course,
        description=str(data.get(DESCRIPTION) or ""),
        lessons=tuple(course_lessons(item)),
        categories=_references(data.get(TOPIC_REFERENCE), TOPIC_ID_TYPE),
        skills=_references(data.get(skills), SKILL_ID_TYPE) if skills is not None else (),
        languages=_references(data.get(languages), language_id) if languages is not None else (),
        duration_minutes=minutes if isinstance(minutes, int) else None,
        requires_enrollment=requires if isinstance(requires, bool) else None,
        cover_image=image if isinstance(image, CoverImageFacts) else None,
        not_read=tuple(n for n in (minutes, image, requires) if isinstance(n, NotRead)),
    )


def _tenants(names: Resolution | None, declared: Name, sourced: str) -> str | None:
    """The name the tenant's WSDL has for ``declared`` (None when it has none); ``sourced`` without a WSDL."""
    return sourced if names is None else names.found(declared)


def _no_flag(names: Resolution | None) -> NotRead:
    why = names.resolved(contract.COURSE_REQUIRES_ENROLLMENT).why if names is not None else ""
    return NotRead(DetailField.REQUIRES_ENROLLMENT, why or "the tenant's WSDL has no enrollment-required flag")


def _minutes(data: dict[str, Any]) -> int | NotRead | None:
    duration = _decimal(data.get(TOTAL_COURSE_DURATION))
    unit = ids_of(data.get(TIME_VALUE_REFERENCE)).get(TIME_UNIT_ID_TYPE)
    if duration is None:
        return None
    if unit not in _UNIT_MINUTES:
        return NotRead(DetailField.DURATION, f"Workday holds {duration} in the time unit {unit!r}")
    try:
        return whole_minutes(timedelta(minutes=float(duration * _UNIT_MINUTES[unit])))
    except OverflowError:
        return NotRead(DetailField.DURATION, f"Workday holds {duration} {unit}, longer than any course can be")


def _references(value: object, id_type: str) -> tuple[Named, ...]:
    named: list[Named] = []
    for entry in _list(value):
        ids = ids_of(entry)
        id_ = ids.get(id_type) or ids.get(WID)
        descriptor = _dict(entry).get(DESCRIPTOR)
        shown = descriptor if isinstance(descriptor, str) and descriptor.strip() else id_
        found = _named(shown, ids.get(id_type) or next((v for t, v in ids.items() if t != WID), None), ids.get(WID))
        if found is not None:
            named.append(found)
    return tuple(named)


def _image(data: dict[str, Any]) -> CoverImageFacts | NotRead | None:
    image = data.get(IMAGE)
    if isinstance(image, str):  # a WSDL typing the image as text, not base64Binary: the base64 as sent
        try:
            image = base64.b64decode("".join(image.split()), validate=True)
        except binascii.Error:
            return NotRead(DetailField.COVER_IMAGE, "Workday's course image is not base64")
    if not isinstance(image, bytes):
        return None
    return CoverImageFacts(str(data.get(FILE_NAME) or ""), str(data.get(CONTENT_TYPE) or ""), len(image))


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
    """An active ``Learning_Topic`` with its WID and its other ID; None for an inactive or nameless one, or one
    without any ID."""
    data = _dict(item.get(LEARNING_TOPIC_DATA))
    if data.get(INACTIVE):
        return None
    ids = ids_of(item.get(LEARNING_TOPIC_REFERENCE))
    other = ids.get(TOPIC_ID_TYPE) or next((v for t, v in ids.items() if t != WID), None)
    if other is None and WID not in ids:
        return None
    return _named(data.get(LEARNING_TOPIC_NAME), other, ids.get(WID))


def _named(name: object, id_: str | None, workday_id: str | None = None) -> Named | None:
    try:
        return Named(str(name), id_, workday_id) if isinstance(name, str) else None
    except InvalidValue:
        return None


def _whole(value: object) -> int | None:
    number = _decimal(value)
    return None if number is None else int(number)


def _decimal(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None
    return number if number is not None and number.is_finite() else None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
