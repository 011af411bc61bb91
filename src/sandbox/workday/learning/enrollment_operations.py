"""The unified LMS operations of the Learning service on enrollments, on requests the schema has accepted:
legacy enrollments (Put_Learning_Enrollment, Get_Learning_Enrollments), with the behaviours of seed 001
(reference sections 4.1 and 5).

Business rules: an enrollment names a worker of the population and a course of the tenant.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal

from lxml import etree

from sandbox.population import PopulationWorker
from sandbox.workday.learning.course_operations import COURSE_ID
from sandbox.workday.learning.courses import StoredCourse
from sandbox.workday.learning.enrollments import EnrollmentIdInUse, StoredEnrollment
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

ENROLLMENT_ID = "Learning_Enrollment_ID"


# Put_Learning_Enrollment (verified structure, v31.2) and Get_Learning_Enrollments


def put_enrollment(context: LearningContext, request: etree._Element) -> etree._Element:
    data = _required(request, "Learning_Enrollment_Data")
    reference = request.find(wd("Learning_Enrollment_Reference"))
    target: Resolved[StoredEnrollment] = Resolved(None)
    if reference is not None:
        target = resolve(reference, "Learning_Enrollment", ("WID", ENROLLMENT_ID), context.enrollments.find_enrollment)
    learner = _learner(context, _required(data, "Learner_Reference"))
    course = resolve(
        _required(data, "Learning_Content_Reference"),
        "Learning_Registerable",
        ("WID", COURSE_ID),
        context.courses.find_course,
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
        stored = context.enrollments.put_enrollment(None if target.value is None else target.value.wid, item_id, build)
    except EnrollmentIdInUse:
        xpath = workday_xpath(_required(data, "ID"))
        message = f"The ID '{item_id}' is already in use by another Learning_Enrollment"  # Inferred wording
        raise validation_fault(ValidationError(message, xpath)) from None
    response = workday_element("Put_Learning_Enrollment_Response", context.version)
    add_reference(response, "Learning_Enrollment_Reference", _enrollment_ids(stored))
    return response


def get_enrollments(context: LearningContext, request: etree._Element) -> etree._Element:
    # Inferred: a rescinded enrollment is withdrawn, so a Get neither lists it nor finds it by reference.
    named = _requested(
        request,
        "Learning_Enrollment_Reference",
        "Learning_Enrollment",
        ENROLLMENT_ID,
        context.enrollments.find_enrollment,
    )
    items = context.enrollments.enrollments(include_rescinded=False) if named is None else named
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
        course = resolve(content_reference, "Learning_Registerable", ("WID", COURSE_ID), context.courses.find_course)
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
    course = context.courses.course_by_wid(enrollment.course_wid)
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
    wd("Put_Learning_Enrollment_Request"): put_enrollment,
    wd("Get_Learning_Enrollments_Request"): get_enrollments,
}
