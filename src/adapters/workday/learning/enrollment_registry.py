"""Learners' enrollments in Workday through ``Get_Learning_Enrollments`` and ``Put_Learning_Enrollment``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

from returns.result import Result

from adapters.retries import RetryPolicy, Sleep
from adapters.workday.errors import WorkdayValidationFault
from adapters.workday.learning import contract
from adapters.workday.learning.client import LearningClient
from adapters.workday.learning.enrollment_requests import (
    Grades,
    by_wid_request,
    completion_request,
    criteria_request,
    enrollment,
    rescind_request,
)
from adapters.workday.learning.names import (
    COURSE_RESPONSE_REFERENCES,
    LEARNING_ENROLLMENT,
    PUT_ENROLLMENT,
)
from adapters.workday.soap.declaration import Feature
from adapters.workday.soap.names import REQUEST_CRITERIA, Request
from adapters.workday.soap.paging import all_items
from adapters.workday.soap.resolution import RequestNames
from adapters.workday.soap.results import write
from domain.deliveries import DeliveryRefused
from domain.learning_completions import Enrollment, LearningCompletion, enrollment_to_update
from domain.ports.enrollment_registry import EnrollmentRegistry


class WorkdayEnrollmentRegistry(EnrollmentRegistry):
    """The tenant's learning enrollments. Listing asks Workday by course and learner (``Request_Criteria``)
    and checks both again on each enrollment; rescinded enrollments are left out; criteria naming a learner or
    course Workday does not know match nothing (Workday refuses them; that refusal is an empty list);
    ``launched_only`` is Workday's ``Created_On_Launch``. A completion sets ``Learning_Enrollment_Completion_Date``,
    the grade (``PASS``/``FAIL``) and ``Overall_Course_Score``. Writes answer as ``soap_results.write`` says;
    reads raise every other error, and ``get`` of a WID Workday refuses is None. Every method raises
    ``ContractMismatch`` before sending anything when the tenant's WSDL lacks a name it needs; a tenant without the
    learner criterion is asked for the course's enrollments, and the learner's are kept here."""

    def __init__(
        self,
        client: LearningClient,
        *,
        grades: Grades | None = None,
        retry: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._client = client
        self._grades = grades or Grades()
        self._retry = retry or RetryPolicy()
        self._sleep = sleep

    def enrollments(self, learner_id: str | None, course_id: str | None) -> list[Enrollment]:
        self._client.names.require(Feature.COMPLETION_PUSH, contract.GET_ENROLLMENTS, doing="reading enrollments")
        names = RequestNames(self._client.names, Feature.COMPLETION_PUSH)
        request = criteria_request(learner_id, course_id, self._client.version, names)
        # Without the learner criterion Workday answers for every learner: each enrollment keeps its own.
        chosen_for = learner_id if not names.left_out else None
        try:
            found = list(self._read(request, chosen_for))
        except WorkdayValidationFault as fault:
            # Workday refuses criteria naming a learner or course it does not know; nothing can match them.
            # Whether the learner exists is then the write's question, where a refusal is final, not retried.
            if fault.xpaths and all(REQUEST_CRITERIA in xpath for xpath in fault.xpaths):
                return []
            raise
        return sorted(
            (
                e
                for e in found
                if (learner_id is None or e.learner_id == learner_id)
                and (course_id is None or e.course_id == course_id)
            ),
            key=lambda e: e.workday_id,
        )

    def get(self, workday_id: str) -> Enrollment | None:
        self._client.names.require(Feature.COMPLETION_DELETE, contract.GET_ENROLLMENTS, doing="reading an enrollment")
        try:
            return next(self._read(by_wid_request(workday_id, self._client.version)), None)
        except WorkdayValidationFault:
            return None

    def complete(
        self, completion: LearningCompletion, course_id: str, existing: Enrollment | None
    ) -> Result[Enrollment, DeliveryRefused]:
        what = f"completion of {completion.learning_object_external_reference!r} by {completion.learner_id!r}"
        self._client.names.require(Feature.COMPLETION_PUSH, contract.PUT_ENROLLMENT)
        attempts = 0

        def send() -> Enrollment:
            nonlocal attempts
            attempts += 1
            target = existing
            if target is None and attempts > 1:
                # A create whose answer was lost (a reset, a timeout) may have been made, and Workday would make
                # a second enrollment if asked again: look first, and update what the lost attempt created.
                target = enrollment_to_update(self.enrollments(completion.learner_id, course_id))
            names = RequestNames(self._client.names, Feature.COMPLETION_PUSH)
            request = completion_request(
                completion, course_id, target.workday_id if target else None, self._client.version, self._grades, names
            )
            base = target or Enrollment("", completion.learner_id, course_id)
            done = replace(base, completed_at=completion.completed_at, result=completion.result, score=completion.score)
            return self._put(request, done)

        return write(what, send, self._retry, self._sleep)

    def rescind(self, enrollment: Enrollment) -> Result[Enrollment, DeliveryRefused]:
        self._client.names.require(Feature.COMPLETION_DELETE, contract.PUT_ENROLLMENT)
        request = rescind_request(enrollment, self._client.version)
        return write(
            f"enrollment {enrollment.workday_id}", lambda: self._put(request, enrollment), self._retry, self._sleep
        )

    def _put(self, request: Request, result: Enrollment) -> Enrollment:
        """Sent once per delivery: written and read without zeep's object layer (``SoapClient.reference``)."""
        reference_name, id_type = COURSE_RESPONSE_REFERENCES[PUT_ENROLLMENT]
        found = self._client.reference(contract.PUT_ENROLLMENT, request, reference_name, id_type)
        return replace(result, workday_id=found or result.workday_id)

    def _read(self, request: Request, learner_id: str | None = None) -> Iterator[Enrollment]:
        grade_id_types = self._client.names.id_types(contract.ENROLLMENT_GRADE_ID_TYPE)
        # An enrollment is read from the elements ``learning.contract`` declares for the reply, and no others.
        items = all_items(
            self._client,
            contract.GET_ENROLLMENTS,
            request,
            LEARNING_ENROLLMENT,
            retry=self._retry,
            sleep=self._sleep,
            declared_only=True,
        )
        for item in items:
            found = enrollment(item, self._grades, learner_id, grade_id_types)
            if found is not None:
                yield found
