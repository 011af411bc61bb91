"""The unified LMS operations of the Learning service on courses, on requests the schema has accepted: digital
courses (Manage_Learning_Course, Get_Learning_Digital_Courses) and the tenant's topics (Get_Learning_Topics),
with the behaviours of seed 001 (reference sections 3, 4.1 and 4.4). The
enrollments in these courses are ``enrollment_operations``; the skills a course may name are listed by the
Talent service (``sandbox.workday.talent``).

Business rules: a course's topics, skills, languages, registrable status, time unit and media must name what the
tenant holds (Workday's "Invalid ID value" fault, with the reference's Xpath); a course's Learning_Course_ID is
unique.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Iterable
from decimal import Decimal

from lxml import etree

from sandbox.workday.learning.courses import (
    REGISTRABLE_STATUSES,
    TIME_UNITS,
    CatalogItem,
    CourseIdInUse,
    CourseImage,
    CourseLesson,
    StoredCourse,
)
from sandbox.workday.learning.operations import (
    LearningContext,
    Operation,
    _boolean,
    _echo_references,
    _requested,
    _required,
    _text,
    _xml_boolean,
)
from sandbox.workday.soap.envelopes import child, wd, workday_element, workday_xpath
from sandbox.workday.soap.faults import ValidationError, validation_fault
from sandbox.workday.soap.paging import add_paging, page_of, page_request
from sandbox.workday.soap.references import Resolved, add_reference, resolve

COURSE_ID = "Learning_Course_ID"
TOPIC_ID = "Learning_Topic"  # not Learning_Topic_ID: the ID type real bodies send [S4, DC]
SKILL_ID = "Skill_ID"  # a skill item's ID types are WID and Skill_ID [HR26, HRnew]
LANGUAGE_ID = "User_Language_ID"
STATUS_ID = "Learning_Registerable_Status_ID"
TIME_UNIT_ID = "Learning_Time_Unit_ID"
# Inferred: the magic numbers of the image formats Workday takes for a course image.
_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


# Manage_Learning_Course (verified structure, v31.2; the digital-course branch of its choice)


def manage_course(context: LearningContext, request: etree._Element) -> etree._Element:
    courses = context.courses
    put = _required(_required(request, "Manage_Learning_Course_Data"), "Put_Learning_Digital_Course_Request")
    data = _required(put, "Learning_Digital_Course_Data")
    reference = put.find(wd("Learning_Digital_Course_Reference"))
    target: Resolved[StoredCourse] = Resolved(None)
    if reference is not None:
        target = resolve(reference, "Learning_Course", ("WID", COURSE_ID), courses.find_course)
    topics = _resolve_all(data, "Topic_Reference", "Learning_Topic", ("WID", TOPIC_ID), courses.find_topic)
    languages = _resolve_all(data, "Language_Reference", "User_Language", ("WID", LANGUAGE_ID), courses.find_language)
    skills = _resolve_all(data, "Skill_Reference", "Skill_Item", ("WID", SKILL_ID), courses.find_skill)
    status = _resolve_value(
        data, "Registrable_Status_Reference", "Learning_Registerable_Status", STATUS_ID, REGISTRABLE_STATUSES
    )
    time_unit = _resolve_value(data, "Time_Value_Reference", "Learning_Time_Unit", TIME_UNIT_ID, TIME_UNITS)
    lessons, lesson_errors = _lessons(data, courses.media_file_wid)
    image, image_errors = _image(data)
    errors = [
        *target.errors,
        *(e for r in (*topics, *languages, *skills) for e in r.errors),
        *status.errors,
        *time_unit.errors,
        *lesson_errors,
        *image_errors,
    ]
    if errors:
        raise validation_fault(*errors)
    duration = _text(data, "Total_Course_Duration")
    requires = _text(data, "Requires_Enrollment")
    # Inferred: a Put of a course replaces its data; an element left out is left unset (not kept).
    course = StoredCourse(
        wid="",
        course_id="",
        title=_text(data, "Course_Title") or "",
        description=_text(data, "Description") or "",
        inactive=_boolean(data, "Inactive"),
        topic_ids=_ids(topics),
        registrable_status=status.value,
        time_unit=time_unit.value,
        total_duration=None if duration is None else Decimal(duration),
        image=image,
        language_ids=_ids(languages),
        skill_ids=_ids(skills),
        requires_enrollment=None if requires is None else requires in ("true", "1"),
        lessons=tuple(lessons),
    )
    course_id = _text(data, "ID")
    try:
        stored = courses.manage_course(None if target.value is None else target.value.wid, course_id, course)
    except CourseIdInUse:
        # Inferred: Workday's wording when a course would take another course's reference ID.
        xpath = workday_xpath(_required(data, "ID"))
        message = f"The ID '{course_id}' is already in use by another Learning_Course"
        raise validation_fault(ValidationError(message, xpath)) from None
    response = workday_element("Manage_Learning_Course_Response", context.version)
    event = hashlib.blake2b(f"course-event:{stored.wid}:{stored.manages}".encode(), digest_size=16).hexdigest()
    add_reference(response, "Course_Event_Reference", [("WID", event)])
    add_reference(response, "Course_Reference", _course_ids(stored))
    return response


def _resolve_all(
    data: etree._Element,
    name: str,
    object_name: str,
    id_types: tuple[str, ...],
    lookup: Callable[[str, str], CatalogItem | None],
) -> list[Resolved[CatalogItem]]:
    return [resolve(element, object_name, id_types, lookup) for element in data.iterfind(wd(name))]


def _resolve_value(
    data: etree._Element, name: str, object_name: str, id_type: str, values: tuple[str, ...]
) -> Resolved[str]:
    element = data.find(wd(name))
    if element is None:
        return Resolved(None)

    def lookup(given_type: str, value: str) -> str | None:
        # Inferred: these IDs are matched ignoring case (DataCamp sends "open" for Open).
        return next((v for v in values if v.casefold() == value.casefold()), None) if given_type == id_type else None

    return resolve(element, object_name, (id_type,), lookup, key=lambda value: value)


def _ids(resolved: Iterable[Resolved[CatalogItem]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.value.id for r in resolved if r.value is not None))


def _lessons(data: etree._Element, media_file_wid: str) -> tuple[list[CourseLesson], list[ValidationError]]:
    lessons: list[CourseLesson] = []
    errors: list[ValidationError] = []
    for element in data.iterfind(wd("Course_Lesson_Data")):
        order = Decimal(_text(element, "Lesson_Order") or "0")
        mandatory = _boolean(element, "Make_Lesson_Mandatory")  # Inferred: a lesson is optional unless marked
        external = element.find(wd("External_Content_Lesson_Data"))
        media = element.find(wd("Media_Lesson_Data"))
        if any(lesson.order == order for lesson in lessons):
            # Inferred: Workday's wording for two lessons with one order.
            xpath = workday_xpath(_required(element, "Lesson_Order"))
            errors.append(ValidationError(f"Lesson Order {order} is used by more than one lesson", xpath))
        if external is not None:
            lessons.append(
                CourseLesson(
                    order=order,
                    title=_text(external, "Learning_Course_Lesson_Title") or "",
                    kind="external",
                    mandatory=mandatory,
                    url=_text(external, "External_Content_URL"),
                    description=_text(external, "External_Content_Description"),
                )
            )
        elif media is not None:
            found = resolve(
                _required(media, "Media_Reference"),
                "Media",
                ("WID",),
                lambda _t, v: v.strip().lower() if v.strip().lower() == media_file_wid else None,
                key=lambda value: value,
            )
            errors.extend(found.errors)
            title = _text(media, "Learning_Course_Lesson_Title") or ""
            lessons.append(CourseLesson(order, title, "media", mandatory, media_wid=found.value))
    return sorted(lessons, key=lambda lesson: lesson.order), errors


def _image(data: etree._Element) -> tuple[CourseImage | None, list[ValidationError]]:
    element = data.find(wd("Course_Image_Data"))
    if element is None:
        return None, []
    content_type = _text(element, "Content_Type") or ""
    image_element = _required(element, "Image")
    try:
        raw = base64.b64decode("".join((image_element.text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if not content_type.lower().startswith("image/") or not raw.startswith(_IMAGE_SIGNATURES):
        # Inferred: Workday refuses a course image that is not a PNG, JPEG or GIF; its wording is a guess.
        message = f"The file {_text(element, 'File_Name')!r} is not a valid image ({content_type or 'no type'})"
        return None, [ValidationError(message, workday_xpath(image_element))]
    image = CourseImage(_text(element, "File_Name") or "", content_type, raw, _text(element, "Image_ID"))
    return image, []


# Get_Learning_Digital_Courses (verified structure, v31.2)


def get_courses(context: LearningContext, request: etree._Element) -> etree._Element:
    courses = context.courses
    named = _requested(request, "Learning_Digital_Course_Reference", "Learning_Course", COURSE_ID, courses.find_course)
    items = courses.courses() if named is None else named
    group = request.find(wd("Response_Group"))
    exclude_image = group is not None and _boolean(group, "Exclude_Course_Image_Data")
    paging = page_request(request.find(wd("Response_Filter")), context.now)
    page = page_of(items, paging)
    response = workday_element("Get_Learning_Digital_Courses_Response", context.version)
    _echo_references(request, response)
    add_paging(response, paging, len(items), len(page))
    response_data = child(response, "Response_Data")
    for course in page:
        entry = child(response_data, "Learning_Digital_Course")
        add_reference(entry, "Learning_Digital_Course_Reference", _course_ids(course))
        _course_data(child(entry, "Learning_Digital_Course_Data"), context, course, exclude_image=exclude_image)
    return response


def _course_data(data: etree._Element, context: LearningContext, course: StoredCourse, *, exclude_image: bool) -> None:
    courses = context.courses
    child(data, "ID", course.course_id)
    child(data, "Inactive", _xml_boolean(course.inactive))
    child(data, "Course_Title", course.title)
    child(data, "Description", course.description)
    for topic_id in course.topic_ids:
        _item_reference(data, "Topic_Reference", courses.topic(topic_id), TOPIC_ID)
    if course.registrable_status is not None:
        add_reference(data, "Registrable_Status_Reference", [(STATUS_ID, course.registrable_status)])
    if course.time_unit is not None:
        add_reference(data, "Time_Value_Reference", [(TIME_UNIT_ID, course.time_unit)])
    if course.total_duration is not None:
        child(data, "Total_Course_Duration", str(course.total_duration))
    if course.image is not None and not exclude_image:
        image = child(data, "Course_Image_Data")
        if course.image.image_id is not None:
            child(image, "Image_ID", course.image.image_id)
        child(image, "File_Name", course.image.file_name)
        child(image, "Content_Type", course.image.content_type)
        child(image, "Image", base64.b64encode(course.image.data).decode("ascii"))
    for language_id in course.language_ids:
        _item_reference(data, "Language_Reference", courses.language(language_id), LANGUAGE_ID)
    for skill_id in course.skill_ids:
        _item_reference(data, "Skill_Reference", courses.skill(skill_id), SKILL_ID)
    if course.requires_enrollment is not None:
        child(data, "Requires_Enrollment", _xml_boolean(course.requires_enrollment))
    for lesson in course.lessons:
        element = child(data, "Course_Lesson_Data")
        child(element, "Lesson_Order", str(lesson.order))
        child(element, "Make_Lesson_Mandatory", _xml_boolean(lesson.mandatory))
        if lesson.kind == "external":
            external = child(element, "External_Content_Lesson_Data")
            child(external, "External_Content_URL", lesson.url or "")
            child(external, "Learning_Course_Lesson_Title", lesson.title)
            if lesson.description is not None:
                child(external, "External_Content_Description", lesson.description)
        else:
            media = child(element, "Media_Lesson_Data")
            add_reference(media, "Media_Reference", [("WID", lesson.media_wid or "")])
            child(media, "Learning_Course_Lesson_Title", lesson.title)


def _item_reference(parent: etree._Element, name: str, item: CatalogItem, id_type: str) -> None:
    reference = add_reference(parent, name, [("WID", item.wid), (id_type, item.id)])
    reference.set(wd("Descriptor"), item.name)


def _course_ids(course: StoredCourse) -> list[tuple[str, str]]:
    return [("WID", course.wid), (COURSE_ID, course.course_id)]


# Get_Learning_Topics (verified structure, v31.2)


def get_topics(context: LearningContext, request: etree._Element) -> etree._Element:
    courses = context.courses
    named = _requested(request, "Learning_Topic_Reference", "Learning_Topic", TOPIC_ID, courses.find_topic)
    items = list(courses.topics) if named is None else named
    paging = page_request(request.find(wd("Response_Filter")), context.now)
    page = page_of(items, paging)
    response = workday_element("Get_Learning_Topics_Response", context.version)
    _echo_references(request, response)
    add_paging(response, paging, len(items), len(page))
    response_data = child(response, "Response_Data")
    for topic in page:
        entry = child(response_data, "Learning_Topic")
        _item_reference(entry, "Learning_Topic_Reference", topic, TOPIC_ID)
        data = child(entry, "Learning_Topic_Data")
        child(data, "Learning_Topic_Name", topic.name)
        if topic.description is not None:
            child(data, "Learning_Topic_Description", topic.description)
        child(data, "Inactive", _xml_boolean(False))
    return response


OPERATIONS: dict[str, Operation] = {
    wd("Manage_Learning_Course_Request"): manage_course,
    wd("Get_Learning_Digital_Courses_Request"): get_courses,
    wd("Get_Learning_Topics_Request"): get_topics,
}
