"""Workday's learning catalog read through ``Get_Learning_Digital_Courses`` (SOAP)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from adapters.retries import RetryPolicy, Sleep
from adapters.workday.learning import contract
from adapters.workday.learning.client import LearningClient
from adapters.workday.learning.course_replies import catalog_course, course_detail, course_lessons
from adapters.workday.learning.names import (
    DIGITAL_COURSE,
    DIGITAL_COURSE_REFERENCE,
    EXCLUDE_COURSE_IMAGE_DATA,
)
from adapters.workday.soap.declaration import Feature
from adapters.workday.soap.names import REQUEST_REFERENCES, RESPONSE_GROUP, VERSION_ATTRIBUTE, WID, Request, reference
from adapters.workday.soap.paging import all_items
from adapters.workday.soap.resolution import RequestNames
from domain.content_dedup import CatalogCourse, same_title
from domain.course_detail import CourseDetail
from domain.course_wrapper import Lesson
from domain.ports.learning_catalog import LearningCatalog


class SoapLearningCatalog(LearningCatalog):
    """The tenant's digital courses, page by page (``Count`` 999), without their images. The operation has no
    criteria to search by course ID or title, so both are matched here over every page; a course's lessons,
    and its detail with its image, are read by its WID. Every error is raised (a ``WorkdayError``, which is a
    ``PortUnavailable``; ``ContractMismatch`` before anything is sent when the tenant's WSDL lacks a name it
    needs), after transient ones are retried under ``retry``."""

    def __init__(self, client: LearningClient, *, retry: RetryPolicy | None = None, sleep: Sleep = time.sleep) -> None:
        self._client = client
        self._retry = retry or RetryPolicy()
        self._sleep = sleep

    def course_by_reference(self, external_reference: str) -> CatalogCourse | None:
        return next((c for c in self._courses() if c.external_reference == external_reference), None)

    def courses_by_title(self, title: str) -> list[CatalogCourse]:
        return [c for c in self._courses() if same_title(c.title, title)]

    def lessons(self, course: CatalogCourse) -> list[Lesson]:
        return next((course_lessons(item) for item in self._by_wid(course.workday_id)), [])

    def course_detail(self, external_reference: str) -> CourseDetail | None:
        course = self.course_by_reference(external_reference)
        if course is None:
            return None
        # The image is asked for here only: it is what makes this read heavy, and only its size is kept.
        items = self._by_wid(course.workday_id, images=True)
        return next((course_detail(item, self._client.names) for item in items), None)

    def courses(self) -> list[CatalogCourse]:
        """Every digital course the tenant has."""
        return list(self._courses())

    def _courses(self) -> Iterator[CatalogCourse]:
        for item in self._items({}, declared_only=True):
            course = catalog_course(item)
            if course is not None:
                yield course

    def _by_wid(self, workday_id: str, *, images: bool = False) -> Iterator[dict[str, Any]]:
        references = {DIGITAL_COURSE_REFERENCE: [reference(WID, workday_id)]}
        return self._items({REQUEST_REFERENCES: references}, images=images)

    def _items(
        self, request: Request, *, images: bool = False, declared_only: bool = False
    ) -> Iterator[dict[str, Any]]:
        """The courses ``request`` asks for; with ``declared_only``, each with the elements ``learning.contract``
        declares for the catalog's reply only (``all_items``), which is all a ``CatalogCourse`` is read from."""
        names = RequestNames(self._client.names, Feature.CONTENT_UPSERT)
        names.names.require(names.feature, contract.GET_DIGITAL_COURSES, doing="reading the digital courses")
        full: Request = {VERSION_ATTRIBUTE: self._client.version, **request}
        # A tenant that cannot be asked to leave images out answers with them: heavier, the same courses.
        if not images and names.takes(contract.CATALOG_EXCLUDE_IMAGES):
            full[RESPONSE_GROUP] = {EXCLUDE_COURSE_IMAGE_DATA: True}
        return all_items(
            self._client,
            contract.GET_DIGITAL_COURSES,
            full,
            DIGITAL_COURSE,
            retry=self._retry,
            sleep=self._sleep,
            declared_only=declared_only,
        )
