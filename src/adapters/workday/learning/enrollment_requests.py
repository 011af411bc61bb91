"""Learning enrollments: completions and rescissions as ``Put_Learning_Enrollment`` requests, the criteria of
``Get_Learning_Enrollments``, and ``Learning_Enrollment`` replies as domain values (reference section 4.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from adapters.workday.learning import contract
from adapters.workday.learning.names import (
    COURSE_ID_TYPE,
    CREATED_ON_LAUNCH,
    EMPLOYEE_ID,
    ENROLLMENT_COMPLETION_DATE,
    ENROLLMENT_DATA,
    ENROLLMENT_REFERENCE,
    GRADE_FAIL,
    GRADE_ID_TYPE,
    GRADE_PASS,
    GRADE_REFERENCE,
    LEARNER_REFERENCE,
    LEARNING_CONTENT_REFERENCE,
    OVERALL_COURSE_SCORE,
    RESCIND_ENROLLMENT,
)
from adapters.workday.soap.names import (
    REQUEST_CRITERIA,
    REQUEST_REFERENCES,
    VERSION_ATTRIBUTE,
    WID,
    Request,
    ids_of,
    reference,
)
from adapters.workday.soap.resolution import RequestNames
from domain.learning_completions import CompletionResult, Enrollment, LearningCompletion


@dataclass(frozen=True, slots=True)
class Grades:
    """The tenant's ``Learning_Grade_ID`` of a pass and of a fail: each tenant configures its own grades."""

    passed: str = GRADE_PASS
    failed: str = GRADE_FAIL

    def of(self, result: CompletionResult) -> str:
        return self.passed if result is CompletionResult.PASS else self.failed

    def result(self, grade: str | None) -> CompletionResult | None:
        """The result a grade stands for; None for a grade that is neither (or none)."""
        return {self.passed: CompletionResult.PASS, self.failed: CompletionResult.FAIL}.get(grade or "")


def completion_request(
    completion: LearningCompletion,
    course_id: str,
    existing_wid: str | None,
    version: str,
    grades: Grades,
    names: RequestNames,
) -> Request:
    """``Put_Learning_Enrollment`` recording ``completion`` on the enrollment ``existing_wid`` (or a new one in
    the course of WID ``course_id``), the grade under the ID type the tenant's WSDL lists; a score it cannot take
    is left out (and noted in ``names.left_out``)."""
    data = _owner(completion.learner_id, course_id)
    data[ENROLLMENT_COMPLETION_DATE] = completion.completed_at
    if completion.score is not None and names.takes(contract.ENROLLMENT_SCORE):
        data[OVERALL_COURSE_SCORE] = completion.score
    data[GRADE_REFERENCE] = reference(names[contract.ENROLLMENT_GRADE_ID_TYPE], grades.of(completion.result))
    return _put(existing_wid, data, version)


def rescind_request(enrollment: Enrollment, version: str) -> Request:
    data = _owner(enrollment.learner_id, enrollment.course_id)
    data[RESCIND_ENROLLMENT] = True
    return _put(enrollment.workday_id, data, version)


def criteria_request(learner_id: str | None, course_id: str | None, version: str, names: RequestNames) -> Request:
    """``Get_Learning_Enrollments`` by course and learner; the learner is left out where the tenant's WSDL has
    no learner criterion (and noted in ``names.left_out``): the caller keeps the learner's own."""
    criteria: Request = {}
    if course_id is not None:
        criteria[LEARNING_CONTENT_REFERENCE] = reference(WID, course_id)
    if learner_id is not None and names.takes(contract.CRITERIA_LEARNER):
        criteria[LEARNER_REFERENCE] = reference(EMPLOYEE_ID, learner_id)
    return {VERSION_ATTRIBUTE: version, REQUEST_CRITERIA: criteria}


def by_wid_request(workday_id: str, version: str) -> Request:
    return {VERSION_ATTRIBUTE: version, REQUEST_REFERENCES: {ENROLLMENT_REFERENCE: [reference(WID, workday_id)]}}


def enrollment(
    item: dict[str, Any],
    grades: Grades,
    learner_id: str | None = None,
    grade_id_types: tuple[str, ...] = (GRADE_ID_TYPE,),
) -> Enrollment | None:
    """A ``Learning_Enrollment``; None for a rescinded one, or one without a WID, a learner or a course WID.
    The course's reference ID (``Learning_Course_ID``) is read when Workday gives it, and not needed: a course
    is named by its WID. The learner is its Employee ID or, in a listing Workday chose for one learner
    (``learner_id``), that learner: Workday chose it by that ID even when its answer names the learner by other
    IDs only. The grade is read under the first of ``grade_id_types`` (the tenant's) the answer carries."""
    data = item.get(ENROLLMENT_DATA)
    data = data if isinstance(data, dict) else {}
    workday_id = ids_of(item.get(ENROLLMENT_REFERENCE)).get(WID)
    learner = ids_of(data.get(LEARNER_REFERENCE)).get(EMPLOYEE_ID) or learner_id
    course_ids = ids_of(data.get(LEARNING_CONTENT_REFERENCE))
    course = course_ids.get(WID)
    if data.get(RESCIND_ENROLLMENT) or not workday_id or not learner or not course:
        return None
    completed = data.get(ENROLLMENT_COMPLETION_DATE)
    grade_ids = ids_of(data.get(GRADE_REFERENCE))
    grade = next((grade_ids[t] for t in grade_id_types if t in grade_ids), None)
    return Enrollment(
        workday_id,
        learner,
        course,
        course_ids.get(COURSE_ID_TYPE),
        completed_at=completed if isinstance(completed, datetime) else None,
        result=grades.result(grade),
        score=_decimal(data.get(OVERALL_COURSE_SCORE)),
        launched_only=bool(data.get(CREATED_ON_LAUNCH)),
    )


def _owner(learner_id: str, course_id: str) -> Request:
    return {
        LEARNING_CONTENT_REFERENCE: reference(WID, course_id),
        LEARNER_REFERENCE: reference(EMPLOYEE_ID, learner_id),
    }


def _put(existing_wid: str | None, data: Request, version: str) -> Request:
    request: Request = {VERSION_ATTRIBUTE: version}
    if existing_wid is not None:
        request[ENROLLMENT_REFERENCE] = reference(WID, existing_wid)
    request[ENROLLMENT_DATA] = data
    return request


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None
