"""The Learning operations the sandbox serves, on requests the schema has accepted: the business rules (learners
are workers of the population, records name content the tenant holds, grades are PASS or FAIL) and the answers.

A later operation is one more handler in ``OPERATIONS``, keyed by its request element.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from lxml import etree

from domain.errors import InvalidValue
from domain.workday_dates import parse_workday_date
from sandbox.config import SandboxConfig
from sandbox.population import PopulationWorker, worker_by_employee_id, worker_by_wid
from sandbox.workday.learning.courses import CourseStore
from sandbox.workday.learning.enrollments import EnrollmentStore
from sandbox.workday.learning.store import IdInUse, LearningStore, StoredContent, StoredRecord
from sandbox.workday.soap.envelopes import child, wd, workday_element, workday_xpath
from sandbox.workday.soap.faults import ValidationError, validation_fault
from sandbox.workday.soap.paging import add_paging, page_of, page_request
from sandbox.workday.soap.references import Resolved, add_reference, resolve

CONTENT_ID = "Learning_Imported_Content_ID"
RECORD_ID = "Learning_Imported_Record_ID"
GRADE_ID = "Learning_Grade_ID"
GRADES = ("PASS", "FAIL")
ROLE_ID_TYPES = ("WID", "Employee_ID", "Contingent_Worker_ID", "Student_ID", "Academic_Affiliate_ID")


@dataclass(frozen=True, slots=True)
class LearningContext:
    config: SandboxConfig
    store: LearningStore
    now: datetime
    version: str
    """The version the response carries: the request's ``wd:version``, else the one in the URL."""
    courses: CourseStore
    """The tenant's courses, topics, skills and languages (the unified LMS operations)."""
    enrollments: EnrollmentStore
    """The tenant's enrollments in those courses."""


Operation = Callable[[LearningContext, etree._Element], etree._Element]
_T = TypeVar("_T")


def grade_wid(grade_id: str) -> str:
    return hashlib.blake2b(f"learning-grade:{grade_id}".encode(), digest_size=16).hexdigest()


# Put_Learning_Imported_Content (Inferred operation, reference 4.3)


def put_content(context: LearningContext, request: etree._Element) -> etree._Element:
    data = _required(request, "Learning_Imported_Content_Data")
    target = _target(
        request,
        "Learning_Imported_Content_Reference",
        "Learning_Imported_Content",
        CONTENT_ID,
        context.store.find_content,
    )
    if target.errors:
        raise validation_fault(*target.errors)
    item_id = _text(data, "ID")
    content = StoredContent(
        wid="",
        id="",
        title=_text(data, "Title") or "",
        description=_text(data, "Description"),
        inactive=_boolean(data, "Inactive"),
    )
    try:
        stored = context.store.put_content(_wid_of(target), item_id, content)
    except IdInUse:
        raise validation_fault(_id_in_use(data, item_id, "Learning_Imported_Content")) from None
    response = workday_element("Put_Learning_Imported_Content_Response", context.version)
    add_reference(response, "Learning_Imported_Content_Reference", _content_ids(stored))
    return response


# Put_Learning_Imported_Record (Inferred operation, reference 4.3)


def put_record(context: LearningContext, request: etree._Element) -> etree._Element:
    data = _required(request, "Learning_Imported_Record_Data")
    target = _target(
        request, "Learning_Imported_Record_Reference", "Learning_Imported_Record", RECORD_ID, context.store.find_record
    )
    learner = resolve(
        _required(data, "Learner_Reference"), "Role", ROLE_ID_TYPES, lambda t, v: _worker(context.config, t, v)
    )
    content = resolve(
        _required(data, "Learning_Imported_Content_Reference"),
        "Learning_Imported_Content",
        ("WID", CONTENT_ID),
        context.store.find_content,
    )
    grade_reference = data.find(wd("Learning_Grade_Reference"))
    grade: Resolved[str] = Resolved(None)
    if grade_reference is not None:
        grade = resolve(grade_reference, "Learning_Grade", ("WID", GRADE_ID), _grade, key=lambda g: g)
    start, completion = _date(data, "Start_Date"), _date(data, "Completion_Date")
    errors = [*target.errors, *learner.errors, *content.errors, *grade.errors, *start.errors, *completion.errors]
    if start.value is not None and completion.value is not None and completion.value < start.value:
        # Inferred: Workday's wording for a completion before the start.
        xpath = workday_xpath(_required(data, "Completion_Date"))
        errors.append(ValidationError("Completion Date must be on or after Start Date", xpath))
    if errors:
        raise validation_fault(*errors)
    assert learner.value is not None
    assert content.value is not None
    item_id = _text(data, "ID")
    score = _text(data, "Overall_Score")
    record = StoredRecord(
        wid="",
        id="",
        learner_employee_id=learner.value.employee_id,
        learner_wid=learner.value.wid,
        content_wid=content.value.wid,
        content_id=content.value.id,
        start_date=start.value,
        completion_date=completion.value,
        grade_id=grade.value,
        overall_score=None if score is None else Decimal(score),
        inactive=_boolean(data, "Inactive"),
    )
    try:
        stored = context.store.put_record(_wid_of(target), item_id, record)
    except IdInUse:
        raise validation_fault(_id_in_use(data, item_id, "Learning_Imported_Record")) from None
    response = workday_element("Put_Learning_Imported_Record_Response", context.version)
    add_reference(response, "Learning_Imported_Record_Reference", _record_ids(stored))
    return response


# Get_Learning_Imported_Contents and Get_Learning_Imported_Records (element names verified, v33.1)


def get_contents(context: LearningContext, request: etree._Element) -> etree._Element:
    store = context.store
    named = _requested(
        request, "Learning_Imported_Content_Reference", "Learning_Imported_Content", CONTENT_ID, store.find_content
    )
    items = store.contents() if named is None else named
    paging = page_request(request.find(wd("Response_Filter")), context.now)
    page = page_of(items, paging)
    response = workday_element("Get_Learning_Imported_Contents_Response", context.version)
    _echo_references(request, response)
    add_paging(response, paging, len(items), len(page))
    response_data = child(response, "Response_Data")
    for item in page:
        entry = child(response_data, "Learning_Imported_Content")
        add_reference(entry, "Learning_Imported_Content_Reference", _content_ids(item))
        data = child(entry, "Learning_Imported_Content_Data")
        child(data, "ID", item.id)
        child(data, "Title", item.title)
        if item.description is not None:
            child(data, "Description", item.description)
        child(data, "Inactive", _xml_boolean(item.inactive))
    return response


def get_records(context: LearningContext, request: etree._Element) -> etree._Element:
    store = context.store
    named = _requested(
        request, "Learning_Imported_Record_Reference", "Learning_Imported_Record", RECORD_ID, store.find_record
    )
    items = store.records() if named is None else named
    paging = page_request(request.find(wd("Response_Filter")), context.now)
    page = page_of(items, paging)
    response = workday_element("Get_Learning_Imported_Records_Response", context.version)
    _echo_references(request, response)
    add_paging(response, paging, len(items), len(page))
    response_data = child(response, "Response_Data")
    for item in page:
        entry = child(response_data, "Learning_Imported_Record")
        add_reference(entry, "Learning_Imported_Record_Reference", _record_ids(item))
        data = child(entry, "Learning_Imported_Record_Data")
        child(data, "ID", item.id)
        add_reference(data, "Learner_Reference", [("WID", item.learner_wid), ("Employee_ID", item.learner_employee_id)])
        add_reference(
            data, "Learning_Imported_Content_Reference", [("WID", item.content_wid), (CONTENT_ID, item.content_id)]
        )
        if item.start_date is not None:
            child(data, "Start_Date", item.start_date.isoformat())
        if item.completion_date is not None:
            child(data, "Completion_Date", item.completion_date.isoformat())
        if item.grade_id is not None:
            add_reference(
                data, "Learning_Grade_Reference", [("WID", grade_wid(item.grade_id)), (GRADE_ID, item.grade_id)]
            )
        if item.overall_score is not None:
            child(data, "Overall_Score", str(item.overall_score))
        child(data, "Inactive", _xml_boolean(item.inactive))
    return response


OPERATIONS: dict[str, Operation] = {
    wd("Put_Learning_Imported_Content_Request"): put_content,
    wd("Put_Learning_Imported_Record_Request"): put_record,
    wd("Get_Learning_Imported_Contents_Request"): get_contents,
    wd("Get_Learning_Imported_Records_Request"): get_records,
}


def _content_ids(item: StoredContent) -> list[tuple[str, str]]:
    return [("WID", item.wid), (CONTENT_ID, item.id)]


def _record_ids(item: StoredRecord) -> list[tuple[str, str]]:
    return [("WID", item.wid), (RECORD_ID, item.id)]


def _target(
    request: etree._Element, name: str, object_name: str, id_type: str, lookup: Callable[[str, str], _T | None]
) -> Resolved[_T]:
    """The item a Put's optional reference names (an unknown one is a validation error)."""
    reference = request.find(wd(name))
    if reference is None:
        return Resolved(None)
    return resolve(reference, object_name, ("WID", id_type), lookup)


def _wid_of(target: Resolved[StoredContent] | Resolved[StoredRecord]) -> str | None:
    return None if target.value is None else target.value.wid


def _requested(
    request: etree._Element, name: str, object_name: str, id_type: str, lookup: Callable[[str, str], _T | None]
) -> list[_T] | None:
    """The items a Get's ``Request_References`` name, in the order named; None when it has none (all items)."""
    references = request.find(wd("Request_References"))
    if references is None:
        return None
    skip_unknown = (references.get(wd("Skip_Non_Existing_Instances")) or "").strip() in ("true", "1")
    resolved = [
        resolve(reference, object_name, ("WID", id_type), lookup) for reference in references.iterfind(wd(name))
    ]
    errors = [error for item in resolved for error in item.errors]
    if errors and not skip_unknown:
        raise validation_fault(*errors)
    return [item.value for item in resolved if item.value is not None]


def _echo_references(request: etree._Element, response: etree._Element) -> None:
    references = request.find(wd("Request_References"))
    if references is not None:
        response.append(copy.deepcopy(references))


def _worker(config: SandboxConfig, id_type: str, value: str) -> PopulationWorker | None:
    """Any worker of the population, active or terminated; the population has no contingent workers, students
    or academic affiliates, so those IDs name nobody."""
    if id_type == "Employee_ID":
        return worker_by_employee_id(config, value)
    if id_type == "WID":
        return worker_by_wid(config, value)
    return None


def _grade(id_type: str, value: str) -> str | None:
    if id_type == GRADE_ID:
        return value if value in GRADES else None
    return next((grade for grade in GRADES if grade_wid(grade) == value.lower()), None)


def _id_in_use(data: etree._Element, item_id: str | None, object_name: str) -> ValidationError:
    # Inferred: Workday's wording when a Put gives an item an ID another item already has.
    xpath = workday_xpath(_required(data, "ID"))
    return ValidationError(f"The ID '{item_id}' is already in use by another {object_name}", xpath)


def _required(parent: etree._Element, name: str) -> etree._Element:
    element = parent.find(wd(name))
    if element is None:  # the schema has required it already
        raise validation_fault(ValidationError(f"{name} is required", workday_xpath(parent)))
    return element


def _text(parent: etree._Element, name: str) -> str | None:
    element = parent.find(wd(name))
    if element is None:
        return None
    text = (element.text or "").strip()
    return text or None


def _boolean(parent: etree._Element, name: str) -> bool:
    return _text(parent, name) in ("true", "1")


def _xml_boolean(value: bool) -> str:
    return "1" if value else "0"  # Workday writes booleans as 1 and 0 in responses


def _date(parent: etree._Element, name: str) -> Resolved[date]:
    element = parent.find(wd(name))
    text = _text(parent, name)
    if element is None or text is None:
        return Resolved(None)
    try:
        return Resolved(parse_workday_date(text, name))
    except InvalidValue as problem:
        return Resolved(None, (ValidationError(f"Invalid date value. {problem.message}", workday_xpath(element)),))
