"""Digital courses into Workday through ``Manage_Learning_Course``, and the topics and skills they must use."""

from __future__ import annotations

import threading
import time

from returns.result import Result

from adapters.retries import RetryPolicy, Sleep
from adapters.workday.learning import contract
from adapters.workday.learning.client import LearningClient
from adapters.workday.learning.course_replies import topic
from adapters.workday.learning.course_requests import IdOf, course_request, known_reference
from adapters.workday.learning.names import (
    COURSE_RESPONSE_REFERENCES,
    LEARNING_TOPIC,
    MANAGE_COURSE,
    SKILL_ID_TYPE,
    TOPIC_ID_TYPE,
)
from adapters.workday.soap.client import reference_id
from adapters.workday.soap.declaration import Feature
from adapters.workday.soap.names import VERSION_ATTRIBUTE
from adapters.workday.soap.paging import all_items
from adapters.workday.soap.resolution import RequestNames
from adapters.workday.soap.results import write
from adapters.workday.talent.skills import WorkdaySkills
from domain.content_dedup import CatalogCourse
from domain.course_wrapper import DigitalCourse
from domain.deliveries import DeliveryRefused
from domain.learning_content import Named
from domain.omissions import Publication
from domain.ports.course_publisher import CoursePublisher


class WorkdayCoursePublisher(CoursePublisher):
    """The tenant's digital courses, written with ``Manage_Learning_Course`` (auto-completed), its topics
    (``Get_Learning_Topics``, active ones, read page by page) and its skills (the Talent service's
    ``Get_Skills``, through ``skills``).

    A course's topics and skills are sent by WID (``course_requests.known_reference``): a name is looked up among
    the tenant's topics or skills (listed once, and again when a name is not found); a name Workday lacks is sent
    as it is, so Workday's Validation_Fault names it. What the tenant's WSDL cannot take (languages, skills,
    the enrollment-required flag...) is left out, and the publication says so. A refusal is a ``Failure`` with
    Workday's message and XPath, not retried; transient failures are retried under ``retry`` (a ``Failure`` when
    they run out); refused credentials are raised, and so is ``ContractMismatch`` when the tenant's WSDL lacks a
    name content upsert needs (before anything is sent). Reading topics or skills raises every error."""

    def __init__(
        self,
        client: LearningClient,
        skills: WorkdaySkills,
        *,
        retry: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._client = client
        self._skills = skills
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._known: dict[str, list[Named]] = {}
        self._lock = threading.Lock()

    def publish(self, course: DigitalCourse, existing: CatalogCourse | None) -> Result[Publication, DeliveryRefused]:
        self._client.names.require(Feature.CONTENT_UPSERT, contract.MANAGE_COURSE)
        names = RequestNames(self._client.names, Feature.CONTENT_UPSERT)
        topics = self._references(course.topics, TOPIC_ID_TYPE, names.id_types(contract.COURSE_TOPIC_ID_TYPE))
        skills: list[IdOf] = []
        if course.skills and names.takes(contract.COURSE_SKILLS):
            skills = self._references(course.skills, SKILL_ID_TYPE, names.id_types(contract.COURSE_SKILL_ID_TYPE))
        request = course_request(
            course, existing.workday_id if existing else None, topics, skills, self._client.version, names
        )
        reference_name, id_type = COURSE_RESPONSE_REFERENCES[MANAGE_COURSE]

        def send() -> Publication:
            reply = self._client.call(contract.MANAGE_COURSE, request)
            workday_id = reference_id(reply, reference_name, id_type) or (existing.workday_id if existing else "")
            catalog = CatalogCourse(workday_id, course.external_reference, course.title, course.active)
            return Publication(catalog, tuple(names.left_out))

        return write(f"course {course.external_reference!r}", send, self._retry, self._sleep)

    def topics(self) -> list[Named]:
        self._client.names.require(Feature.CATEGORIES, contract.GET_TOPICS)
        items = all_items(
            self._client, contract.GET_TOPICS, self._request(), LEARNING_TOPIC, retry=self._retry, sleep=self._sleep
        )
        found = [t for t in (topic(item) for item in items) if t is not None]
        return self._remember(TOPIC_ID_TYPE, found)

    def skills(self) -> list[Named]:
        return self._remember(SKILL_ID_TYPE, self._skills.skills())

    def _references(self, names: tuple[str, ...], kind: str, id_types: tuple[str, ...]) -> list[IdOf]:
        """How the course refers to each topic (``kind`` ``TOPIC_ID_TYPE``) or skill named, under the ID types
        its reference takes on this tenant."""
        if not names:
            return []
        with self._lock:
            known = self._known.get(kind)
        if known is None or not all(_knows(name, known) for name in names):
            known = self.topics() if kind == TOPIC_ID_TYPE else self.skills()
        return [known_reference(name, known, id_types) for name in names]

    def _remember(self, operation: str, found: list[Named]) -> list[Named]:
        with self._lock:
            self._known[operation] = found
        return list(found)

    def _request(self) -> dict[str, object]:
        return {VERSION_ATTRIBUTE: self._client.version}


def _knows(name: str, known: list[Named]) -> bool:
    return any(name in (k.id, k.workday_id) or k.name.casefold() == name.casefold() for k in known)
