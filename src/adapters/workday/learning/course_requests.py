"""A digital course as the keyword arguments of ``Manage_Learning_Course`` (reference section 3): a digital
course with its lessons, topics and skills by ID, languages, the cover image (zeep base64-encodes the bytes),
the duration in minutes, registrable status Open, and ``Inactive`` for a course that is not active."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.workday.learning.names import (
    AUTO_COMPLETE,
    BUSINESS_PROCESS_PARAMETERS,
    CONTENT_TYPE,
    COURSE_IMAGE_DATA,
    COURSE_LESSON_DATA,
    COURSE_TITLE,
    DESCRIPTION,
    DIGITAL_COURSE_DATA,
    DIGITAL_COURSE_REFERENCE,
    EXTERNAL_CONTENT_LESSON_DATA,
    EXTERNAL_CONTENT_URL,
    FILE_NAME,
    IMAGE,
    INACTIVE,
    LANGUAGE_ID_TYPE,
    LANGUAGE_REFERENCE,
    LESSON_ORDER,
    LESSON_TITLE,
    MAKE_LESSON_MANDATORY,
    MANAGE_COURSE_DATA,
    MEDIA_LESSON_DATA,
    MEDIA_REFERENCE,
    MINUTES,
    PUT_DIGITAL_COURSE,
    REGISTRABLE_STATUS_ID_TYPE,
    REGISTRABLE_STATUS_REFERENCE,
    REQUIRES_ENROLLMENT,
    SKILL_REFERENCE,
    TIME_UNIT_ID_TYPE,
    TIME_VALUE_REFERENCE,
    TOPIC_REFERENCE,
    TOTAL_COURSE_DURATION,
)
from adapters.workday.soap.names import ID, VERSION_ATTRIBUTE, WID, Request, reference
from domain.course_wrapper import CoverImage, DigitalCourse, Lesson, LessonKind
from domain.learning_content import Named

IdOf = tuple[str, str]
"""A reference's one ID: its type and its value."""


def known_reference(name: str, known: Sequence[Named], id_type: str) -> IdOf:
    """How a course refers to the topic or skill ``name`` (given by ID or by name, ignoring case): by its WID,
    which every Workday reference accepts; by its ``id_type`` ID when Workday gave no WID; and, when Workday has
    none by that name, ``name`` itself under ``id_type``, so that Workday's own refusal names it. Never a WID
    under another type's name."""
    match = next((k for k in known if name in (k.id, k.workday_id)), None) or next(
        (k for k in known if k.name.casefold() == name.casefold()), None
    )
    if match is None:
        return (id_type, name)
    if match.workday_id is not None:
        return (WID, match.workday_id)
    return (id_type, match.id or name)


def course_request(
    course: DigitalCourse,
    existing_wid: str | None,
    topics: Sequence[IdOf],
    skills: Sequence[IdOf],
    version: str,
) -> Request:
    """``Manage_Learning_Course`` for ``course``: an update of the course ``existing_wid`` (which rekeys it to
    the course's external reference), or a new course when None."""
    put: Request = {}
    if existing_wid is not None:
        put[DIGITAL_COURSE_REFERENCE] = reference(WID, existing_wid)
    put[DIGITAL_COURSE_DATA] = course_data(course, topics, skills)
    return {
        VERSION_ATTRIBUTE: version,
        MANAGE_COURSE_DATA: {PUT_DIGITAL_COURSE: put},
        # An ISU's Manage Course runs without approvals, reviews or to-dos only when told to complete.
        BUSINESS_PROCESS_PARAMETERS: {AUTO_COMPLETE: True},
    }


def course_data(course: DigitalCourse, topics: Sequence[IdOf], skills: Sequence[IdOf]) -> Request:
    data: Request = {
        ID: course.external_reference,
        INACTIVE: not course.active,
        COURSE_TITLE: course.title,
        DESCRIPTION: course.description,
        TOPIC_REFERENCE: [reference(*topic) for topic in topics],
        REGISTRABLE_STATUS_REFERENCE: reference(REGISTRABLE_STATUS_ID_TYPE, course.registrable_status),
    }
    if course.duration_minutes is not None:
        data[TIME_VALUE_REFERENCE] = reference(TIME_UNIT_ID_TYPE, MINUTES)
        data[TOTAL_COURSE_DURATION] = course.duration_minutes
    if course.image is not None:
        data[COURSE_IMAGE_DATA] = image_data(course.image)
    data[LANGUAGE_REFERENCE] = [reference(LANGUAGE_ID_TYPE, code) for code in course.languages]
    data[SKILL_REFERENCE] = [reference(*skill) for skill in skills]
    data[REQUIRES_ENROLLMENT] = course.requires_enrollment
    data[COURSE_LESSON_DATA] = [lesson_data(lesson) for lesson in course.lessons]
    return data


def image_data(image: CoverImage) -> Request:
    return {FILE_NAME: image.file_name, CONTENT_TYPE: image.content_type, IMAGE: image.data}


def lesson_data(lesson: Lesson) -> Request:
    data: Request = {LESSON_ORDER: lesson.order, MAKE_LESSON_MANDATORY: lesson.mandatory}
    if lesson.kind is LessonKind.MEDIA:
        data[MEDIA_LESSON_DATA] = {MEDIA_REFERENCE: reference(WID, lesson.media_wid or ""), LESSON_TITLE: lesson.title}
    else:
        data[EXTERNAL_CONTENT_LESSON_DATA] = {EXTERNAL_CONTENT_URL: lesson.url or "", LESSON_TITLE: lesson.title}
    return data
