"""The unified LMS operations of the Learning service, on requests the schema has accepted: digital courses
(Manage_Learning_Course, Get_Learning_Digital_Courses), the tenant's topics and skills (Get_Learning_Topics,
Get_Skill_Items) and legacy enrollments (Put_Learning_Enrollment, Get_Learning_Enrollments), with the behaviours
of seed 001 (reference sections 3, 4.1, 4.4 and 5).

Business rules: a course's topics, skills, languages, registrable status, time unit and media must name what the
tenant holds (Workday's "Invalid ID value" fault, with the reference's Xpath); a course's Learning_Course_ID is
unique; an enrollment names a worker of the population and a course of the catalog.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal

from lxml import etree

from sandbox.population import PopulationWorker
from sandbox.workday.learning.courses import (
    REGISTRABLE_STATUSES,
    TIME_UNITS,
    CatalogItem,
    CourseIdInUse,
    CourseImage,
    CourseLesson,
    EnrollmentIdInUse,
    StoredCourse,
    StoredEnrollment,
)
from sandbox.workday.learning.operations import (
    GRADE_ID,
    ROLE_ID_TYPES,
    LearningContext,
    Operation,
    _boolean,
    _date,
    _echo_references,
    _grade,
    _requested,
    _required,
    _text,
    _worker,
    _xml_boolean,
    grade_wid,
)
from sandbox.workday.soap.envelopes import child, wd, workday_element, workday_xpath
from sandbox.workday.soap.faults import ValidationError, validation_fault
from sandbox.workday.soap.paging import add_paging, page_of, page_request
from sandbox.workday.soap.references import Resolved, add_reference, resolve

COURSE_ID = "Learning_Course_ID"
TOPIC_ID = "Learning_Topic_ID"
SKILL_ID = "Skill_Item_ID"
LANGUAGE_ID = "User_Language_ID"
STATUS_ID = "Learning_Registerable_Status_ID"
TIME_UNIT_ID = "Learning_Time_Unit_ID"
ENROLLMENT_ID = "Learning_Enrollment_ID"
# Inferred: the magic numbers of the image formats Workday takes for a course image.
_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


# Manage_Learning_Course (verified structure, v31.2; the digital-course branch of its choice)


def manage_course(context: LearningContext, request: etree._Element) -> etree._Element:
    catalog = context.catalog
    put = _required(_required(request, "Manage_Learning_Course_Data"), "Put_Learning_Digital_Course_Request")
    data = _required(put, "Learning_Digital_Course_Data")
    reference = put.find(wd("Learning_Digital_Course_Reference"))
    target: Resolved[StoredCourse] = Resolved(None)
    if reference is not None:
        target = resolve(reference, "Learning_Course", ("WID", COURSE_ID), catalog.find_course)
    topics = _resolve_all(data, "Topic_Reference", "Learning_Topic", ("WID", TOPIC_ID), catalog.find_topic)
    languages = _resolve_all(data, "Language_Reference", "User_Language", ("WID", LANGUAGE_ID), catalog.find_language)
    skills = _resolve_all(data, "Skill_Reference", "Skill_Item", ("WID", SKILL_ID), catalog.find_skill)
    status = _resolve_value(
        data, "Registrable_Status_Reference", "Learning_Registerable_Status", STATUS_ID, REGISTRABLE_STATUSES
    )
    time_unit = _resolve_value(data, "Time_Value_Reference", "Learning_Time_Unit", TIME_UNIT_ID, TIME_UNITS)
    lessons, lesson_errors = _lessons(data, catalog.media_file_wid)
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
        stored = catalog.manage_course(None if target.value is None else target.value.wid, course_id, course)
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
    catalog = context.catalog
    named = _requested(request, "Learning_Digital_Course_Reference", "Learning_Course", COURSE_ID, catalog.find_course)
    items = catalog.courses() if named is None else named
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
    catalog = context.catalog
    child(data, "ID", course.course_id)
    child(data, "Inactive", _xml_boolean(course.inactive))
    child(data, "Course_Title", course.title)
    child(data, "Description", course.description)
    for topic_id in course.topic_ids:
        _item_reference(data, "Topic_Reference", catalog.topic(topic_id), TOPIC_ID)
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
        _item_reference(data, "Language_Reference", catalog.language(language_id), LANGUAGE_ID)
    for skill_id in course.skill_ids:
        _item_reference(data, "Skill_Reference", catalog.skill(skill_id), SKILL_ID)
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


# Get_Learning_Topics (verified structure, v31.2) and Get_Skill_Items (Inferred operation)


def get_topics(context: LearningContext, request: etree._Element) -> etree._Element:
    catalog = context.catalog
    named = _requested(request, "Learning_Topic_Reference", "Learning_Topic", TOPIC_ID, catalog.find_topic)
    items = list(catalog.topics) if named is None else named
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


def get_skills(context: LearningContext, request: etree._Element) -> etree._Element:
    items = list(context.catalog.skills)
    paging = page_request(request.find(wd("Response_Filter")), context.now)
    page = page_of(items, paging)
    response = workday_element("Get_Skill_Items_Response", context.version)
    add_paging(response, paging, len(items), len(page))
    response_data = child(response, "Response_Data")
    for skill in page:
        entry = child(response_data, "Skill_Item")
        _item_reference(entry, "Skill_Item_Reference", skill, SKILL_ID)
        child(child(entry, "Skill_Item_Data"), "Skill_Item_Name", skill.name)
    return response


# Put_Learning_Enrollment (verified structure, v31.2) and Get_Learning_Enrollments


def put_enrollment(context: LearningContext, request: etree._Element) -> etree._Element:
    catalog = context.catalog
    data = _required(request, "Learning_Enrollment_Data")
    reference = request.find(wd("Learning_Enrollment_Reference"))
    target: Resolved[StoredEnrollment] = Resolved(None)
    if reference is not None:
        target = resolve(reference, "Learning_Enrollment", ("WID", ENROLLMENT_ID), catalog.find_enrollment)
    learner = _learner(context, _required(data, "Learner_Reference"))
    course = resolve(
        _required(data, "Learning_Content_Reference"), "Learning_Registerable", ("WID", COURSE_ID), catalog.find_course
    )
    grade_reference = data.find(wd("Learning_Grade_Reference"))
    grade: Resolved[str] = Resolved(None)
    if grade_reference is not None:
        grade = resolve(grade_reference, "Learning_Grade", ("WID", GRADE_ID), _grade, key=lambda g: g)
    registered = _date(data, "Registered_Date")
    completion = _date_time(data, "Learning_Enrollment_Completion_Date")
    errors = [*target.errors, *learner.errors, *course.errors, *grade.errors, *registered.errors, *completion.errors]
    if errors:
        raise validation_fault(*errors)
    assert learner.value is not None
    assert course.value is not None
    worker, stored_course = learner.value, course.value
    score_text = _text(data, "Overall_Course_Score")
    score = None if score_text is None else Decimal(score_text)
    rescind = _boolean(data, "Rescind_Enrollment")
    today = context.now.date()

    def build(existing: StoredEnrollment | None) -> StoredEnrollment:
        # Inferred: an update keeps what the request leaves out (dates, score, grade); a new enrollment is
        # registered today unless the request says otherwise; Created_On_Launch is read-only.
        base = existing or StoredEnrollment(
            wid="", id="", course_wid="", learner_employee_id="", learner_wid="", registered_date=today
        )
        return StoredEnrollment(
            wid="",
            id="",
            course_wid=stored_course.wid,
            learner_employee_id=worker.employee_id,
            learner_wid=worker.wid,
            registered_date=registered.value or base.registered_date,
            completion=completion.value or base.completion,
            score=score if score is not None else base.score,
            grade_id=grade.value or base.grade_id,
            rescinded=rescind,
            created_on_launch=base.created_on_launch,
            completed_lessons=base.completed_lessons,
        )

    item_id = _text(data, "ID")
    try:
        stored = catalog.put_enrollment(None if target.value is None else target.value.wid, item_id, build)
    except EnrollmentIdInUse:
        xpath = workday_xpath(_required(data, "ID"))
        message = f"The ID '{item_id}' is already in use by another Learning_Enrollment"  # Inferred wording
        raise validation_fault(ValidationError(message, xpath)) from None
    response = workday_element("Put_Learning_Enrollment_Response", context.version)
    add_reference(response, "Learning_Enrollment_Reference", _enrollment_ids(stored))
    return response


def get_enrollments(context: LearningContext, request: etree._Element) -> etree._Element:
    catalog = context.catalog
    # Inferred: a rescinded enrollment is withdrawn, so a Get neither lists it nor finds it by reference.
    named = _requested(
        request, "Learning_Enrollment_Reference", "Learning_Enrollment", ENROLLMENT_ID, catalog.find_enrollment
    )
    items = catalog.enrollments(include_rescinded=False) if named is None else named
    criteria = request.find(wd("Request_Criteria"))
    if criteria is not None:
        items = _matching(context, criteria, items)
    paging = page_request(request.find(wd("Response_Filter")), context.now)
    page = page_of(items, paging)
    response = workday_element("Get_Learning_Enrollments_Response", context.version)
    _echo_references(request, response)
    if criteria is not None:
        response.append(copy.deepcopy(criteria))
    add_paging(response, paging, len(items), len(page))
    response_data = child(response, "Response_Data")
    for enrollment in page:
        entry = child(response_data, "Learning_Enrollment")
        add_reference(entry, "Learning_Enrollment_Reference", _enrollment_ids(enrollment))
        _enrollment_data(child(entry, "Learning_Enrollment_Data"), context, enrollment)
    return response


def _matching(
    context: LearningContext, criteria: etree._Element, items: list[StoredEnrollment]
) -> list[StoredEnrollment]:
    content_reference = criteria.find(wd("Learning_Content_Reference"))
    learner_reference = criteria.find(wd("Learner_Reference"))
    course: Resolved[StoredCourse] = Resolved(None)
    learner: Resolved[PopulationWorker] = Resolved(None)
    if content_reference is not None:
        course = resolve(content_reference, "Learning_Registerable", ("WID", COURSE_ID), context.catalog.find_course)
    if learner_reference is not None:
        learner = _learner(context, learner_reference)
    errors = [*course.errors, *learner.errors]
    if errors:
        raise validation_fault(*errors)
    return [
        e
        for e in items
        if (course.value is None or e.course_wid == course.value.wid)
        and (learner.value is None or e.learner_employee_id == learner.value.employee_id)
    ]


def _enrollment_data(data: etree._Element, context: LearningContext, enrollment: StoredEnrollment) -> None:
    child(data, "ID", enrollment.id)
    course = context.catalog.course_by_wid(enrollment.course_wid)
    add_reference(
        data,
        "Learning_Content_Reference",
        [("WID", enrollment.course_wid)] + ([(COURSE_ID, course.course_id)] if course is not None else []),
    )
    add_reference(
        data, "Learner_Reference", [("WID", enrollment.learner_wid), ("Employee_ID", enrollment.learner_employee_id)]
    )
    if enrollment.registered_date is not None:
        child(data, "Registered_Date", enrollment.registered_date.isoformat())
    if enrollment.completion is not None:
        child(data, "Learning_Enrollment_Completion_Date", enrollment.completion.isoformat(timespec="milliseconds"))
    if enrollment.score is not None:
        child(data, "Overall_Course_Score", str(enrollment.score))
    if enrollment.grade_id is not None:
        add_reference(
            data,
            "Learning_Grade_Reference",
            [("WID", grade_wid(enrollment.grade_id)), (GRADE_ID, enrollment.grade_id)],
        )
    child(data, "Created_On_Launch", _xml_boolean(enrollment.created_on_launch))


def _enrollment_ids(enrollment: StoredEnrollment) -> list[tuple[str, str]]:
    return [("WID", enrollment.wid), (ENROLLMENT_ID, enrollment.id)]


def _learner(context: LearningContext, reference: etree._Element) -> Resolved[PopulationWorker]:
    return resolve(reference, "Role", ROLE_ID_TYPES, lambda t, v: _worker(context.config, t, v))


def _date_time(parent: etree._Element, name: str) -> Resolved[datetime]:
    element = parent.find(wd(name))
    text = _text(parent, name)
    if element is None or text is None:
        return Resolved(None)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return Resolved(None, (ValidationError(f"Invalid dateTime value '{text}'", workday_xpath(element)),))
    # Inferred: a dateTime without an offset is UTC.
    return Resolved(value if value.tzinfo is not None else value.replace(tzinfo=UTC))


OPERATIONS: dict[str, Operation] = {
    wd("Manage_Learning_Course_Request"): manage_course,
    wd("Get_Learning_Digital_Courses_Request"): get_courses,
    wd("Get_Learning_Topics_Request"): get_topics,
    wd("Get_Skill_Items_Request"): get_skills,
    wd("Put_Learning_Enrollment_Request"): put_enrollment,
    wd("Get_Learning_Enrollments_Request"): get_enrollments,
}
