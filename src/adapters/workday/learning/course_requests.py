"""A digital course as the keyword arguments of ``Manage_Learning_Course`` (reference section 3): a digital
course with its lessons, topics and skills by ID, languages, the cover image (zeep base64-encodes the bytes),
the duration in minutes, registrable status Open, and ``Inactive`` for a course that is not active; in the
tenant's names, leaving out what its WSDL cannot take."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.workday.learning import contract
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
    SKILL_REFERENCE,
    TIME_UNIT_ID_TYPE,
    TIME_VALUE_REFERENCE,
    TOPIC_REFERENCE,
    TOTAL_COURSE_DURATION,
)
from adapters.workday.soap.names import ID, VERSION_ATTRIBUTE, WID, Request, reference
from adapters.workday.soap.resolution import RequestNames
from domain.course_wrapper import CoverImage, DigitalCourse, Lesson, LessonKind
from domain.learning_content import Named

IdOf = tuple[str, str]
"""A reference's one ID: its type and its value."""


def known_reference(name: str, known: Sequence[Named], id_types: Sequence[str]) -> IdOf:
    """How a course refers to the topic or skill ``name`` (given by ID or by name, ignoring case), under the ID
    types the tenant's reference takes (``id_types``, preferred first: WID, which every Workday reference
    accepts, where the WSDL lists it): by the first of them Workday gave it an ID of; and, when Workday has none by
    that name, ``name`` itself under the first non-WID type, so that Workday's own refusal names it. Never a WID
    under another type's name."""
    other = next((t for t in id_types if t != WID), id_types[0])
    match = next((k for k in known if name in (k.id, k.workday_id)), None) or next(
        (k for k in known if k.name.casefold() == name.casefold()), None
    )
    if match is None:
        return (other, name)
    for id_type in id_types:
        value = match.workday_id if id_type == WID else match.id
        if value is not None:
            return (id_type, value)
    return (other, match.id or name)


def course_request(
    course: DigitalCourse,
    existing_wid: str | None,
    topics: Sequence[IdOf],
    skills: Sequence[IdOf],
    version: str,
    names: RequestNames,
) -> Request:
    """``Manage_Learning_Course`` for ``course``: an update of the course ``existing_wid`` (which rekeys it to
    the course's external reference), or a new course when None. What the tenant's WSDL cannot take (``names``:
    languages, skills, the enrollment-required flag, the duration, the cover image, a media lesson) is left out
    and noted in ``names.left_out``."""
    put: Request = {}
    if existing_wid is not None:
        put[DIGITAL_COURSE_REFERENCE] = reference(WID, existing_wid)
    put[DIGITAL_COURSE_DATA] = course_data(course, topics, skills, names)
    return {
        VERSION_ATTRIBUTE: version,
        MANAGE_COURSE_DATA: {PUT_DIGITAL_COURSE: put},
        # An ISU's Manage Course runs without approvals, reviews or to-dos only when told to complete.
        BUSINESS_PROCESS_PARAMETERS: {AUTO_COMPLETE: True},
    }


def course_data(course: DigitalCourse, topics: Sequence[IdOf], skills: Sequence[IdOf], names: RequestNames) -> Request:
    data: Request = {
        ID: course.external_reference,
        INACTIVE: not course.active,
        COURSE_TITLE: course.title,
        DESCRIPTION: course.description,
        TOPIC_REFERENCE: [reference(*topic) for topic in topics],
        REGISTRABLE_STATUS_REFERENCE: reference(REGISTRABLE_STATUS_ID_TYPE, course.registrable_status),
    }
    if (
        course.duration_minutes is not None
        and names.takes(contract.COURSE_TIME_UNIT)
        and names.takes(contract.COURSE_DURATION)
    ):
        data[TIME_VALUE_REFERENCE] = reference(TIME_UNIT_ID_TYPE, MINUTES)
        data[TOTAL_COURSE_DURATION] = course.duration_minutes
    if course.image is not None and names.takes(contract.COURSE_IMAGE):
        data[COURSE_IMAGE_DATA] = image_data(course.image)
    if course.languages and names.takes(contract.COURSE_LANGUAGES):
        id_type = names[contract.COURSE_LANGUAGE_ID_TYPE]
        data[names[contract.COURSE_LANGUAGES]] = [reference(id_type, code) for code in course.languages]
    if skills and names.takes(contract.COURSE_SKILLS):
        data[SKILL_REFERENCE] = [reference(*skill) for skill in skills]
    if names.takes(contract.COURSE_REQUIRES_ENROLLMENT):
        data[names[contract.COURSE_REQUIRES_ENROLLMENT]] = course.requires_enrollment
    lessons = [
        lesson for lesson in course.lessons if lesson.kind is not LessonKind.MEDIA or names.takes(contract.MEDIA_LESSON)
    ]
    data[COURSE_LESSON_DATA] = [lesson_data(lesson) for lesson in lessons]
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
