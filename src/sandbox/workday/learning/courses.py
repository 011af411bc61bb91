"""What the tenant's Workday Learning catalog holds for the unified LMS operations: its topics, skills, languages
and media file (seeded), the digital courses put with Manage_Learning_Course, and the legacy enrollments (put with
Put_Learning_Enrollment, or created by Workday when a learner launches content); per tenant, thread-safe.

``launch`` plays a learner starting a course from the Workday UI (seed 001, "Auto-Completion"): Workday creates
an enrollment by itself and completes the launched lesson; the course completes when that leaves nothing
mandatory, so a single-lesson course completes on launch, unless it holds a media lesson (the "Media File
Completion Blocker").

Every WID is 32 hex, a pure function of the seed, the tenant, the kind and a counter or name, so stable from run
to run.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from sandbox.clock import SandboxClock
from sandbox.config import SandboxConfig
from sandbox.population import worker_by_employee_id

LessonKind = Literal["external", "media"]

# The tenant's topics (Learning_Topic_ID, name, description).
SEEDED_TOPICS: tuple[tuple[str, str, str], ...] = (
    ("TOPIC_SALES", "Sales", "Selling, negotiation and account management."),
    ("TOPIC_TECHNOLOGY", "Technology", "Software, data and digital tools."),
    ("TOPIC_ACCOUNTING", "Accounting", "Financial accounting and reporting standards."),
    ("TOPIC_ETHICS", "Ethics", "Professional ethics and conduct."),
    ("TOPIC_TAX", "Tax", "Direct and indirect tax."),
    ("TOPIC_LEADERSHIP", "Leadership", "Leading people and teams."),
    ("TOPIC_COMPLIANCE", "Compliance", "Regulation and internal policies."),
    ("TOPIC_FINANCE", "Finance", "Corporate finance and treasury."),
    ("TOPIC_AUDIT", "Audit", "External and internal audit."),
    ("TOPIC_COMMUNICATION", "Communication", "Writing, presenting and listening."),
)
# The tenant's skills (Skill_Item_ID, name).
SEEDED_SKILLS: tuple[tuple[str, str], ...] = (
    ("SKILL_SALES_TECHNIQUES", "Sales Techniques"),
    ("SKILL_CUSTOMER_ENGAGEMENT", "Customer Engagement"),
    ("SKILL_NEGOTIATION", "Negotiation"),
    ("SKILL_FINANCIAL_REPORTING", "Financial Reporting"),
    ("SKILL_TAX_PLANNING", "Tax Planning"),
    ("SKILL_RISK_MANAGEMENT", "Risk Management"),
    ("SKILL_DATA_ANALYSIS", "Data Analysis"),
    ("SKILL_PUBLIC_SPEAKING", "Public Speaking"),
    ("SKILL_PROJECT_MANAGEMENT", "Project Management"),
    ("SKILL_PEOPLE_MANAGEMENT", "People Management"),
)
# The tenant's user languages (User_Language_ID, name).
SEEDED_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en_GB", "English (United Kingdom)"),
    ("en_US", "English (United States)"),
    ("fr_FR", "French (France)"),
    ("fr_CA", "French (Canada)"),
    ("de_DE", "German (Germany)"),
    ("es_ES", "Spanish (Spain)"),
)
REGISTRABLE_STATUSES = ("Open", "Closed")
TIME_UNITS = ("minutes", "hours")

# Inferred: the reference IDs Workday generates when a Put gives none follow its "KIND-6-n" pattern.
_GENERATED_COURSE_ID = "LEARNING_COURSE-6-"
_GENERATED_ENROLLMENT_ID = "LEARNING_ENROLLMENT-6-"


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """A seeded topic, skill or language: its WID, its reference ID and its name."""

    wid: str
    id: str
    name: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class CourseImage:
    file_name: str
    content_type: str
    data: bytes
    image_id: str | None = None


@dataclass(frozen=True, slots=True)
class CourseLesson:
    """``media_wid`` is set for a media lesson, ``url`` (and maybe ``description``) for an external one."""

    order: Decimal
    title: str
    kind: LessonKind
    mandatory: bool
    url: str | None = None
    description: str | None = None
    media_wid: str | None = None
    wid: str = ""
    """Set by the store: the lesson's WID (the REST API's lesson ``id``)."""


@dataclass(frozen=True, slots=True)
class StoredCourse:
    """A digital course. ``course_id`` is its ``Learning_Course_ID`` (the connector's external reference);
    ``topic_ids``, ``skill_ids`` and ``language_ids`` are the reference IDs of what its references named;
    ``manages`` counts the Manage_Learning_Course requests that created or updated it."""

    wid: str
    course_id: str
    title: str
    description: str
    inactive: bool
    topic_ids: tuple[str, ...]
    registrable_status: str | None = None
    time_unit: str | None = None
    total_duration: Decimal | None = None
    image: CourseImage | None = None
    language_ids: tuple[str, ...] = ()
    skill_ids: tuple[str, ...] = ()
    requires_enrollment: bool | None = None
    lessons: tuple[CourseLesson, ...] = ()
    manages: int = 1

    @property
    def has_media_lesson(self) -> bool:
        return any(lesson.kind == "media" for lesson in self.lessons)


@dataclass(frozen=True, slots=True)
class StoredEnrollment:
    """A legacy enrollment. ``completed_lessons`` holds the orders of the lessons a launch completed;
    ``completion`` is the course's completion (None: in progress). A rescinded enrollment is withdrawn: the
    SOAP service no longer knows it, only this inspection does."""

    wid: str
    id: str
    course_wid: str
    learner_employee_id: str
    learner_wid: str
    registered_date: date | None = None
    completion: datetime | None = None
    score: Decimal | None = None
    grade_id: str | None = None
    rescinded: bool = False
    created_on_launch: bool = False
    completed_lessons: tuple[Decimal, ...] = ()
    puts: int = 1

    @property
    def status(self) -> Literal["Completed", "In Progress", "Rescinded"]:
        if self.rescinded:
            return "Rescinded"
        return "In Progress" if self.completion is None else "Completed"


class CourseIdInUse(Exception):
    """A course would get a Learning_Course_ID another course has."""


class EnrollmentIdInUse(Exception):
    """An enrollment would get a Learning_Enrollment_ID another enrollment has."""


class LearningCatalog:
    """One tenant's catalog. Tests read it through ``SandboxServer.learning``."""

    def __init__(self, tenant: str, config: SandboxConfig, clock: SandboxClock) -> None:
        self.tenant = tenant
        self.media_file_wid = config.media_file_wid.lower()
        self._config = config
        self._clock = clock
        self._seed = config.seed
        self._lock = threading.Lock()
        self.topics: tuple[CatalogItem, ...] = tuple(
            CatalogItem(self._wid("topic", item_id), item_id, name, description)
            for item_id, name, description in SEEDED_TOPICS
        )
        self.skills: tuple[CatalogItem, ...] = tuple(
            CatalogItem(self._wid("skill", item_id), item_id, name) for item_id, name in SEEDED_SKILLS
        )
        self.languages: tuple[CatalogItem, ...] = tuple(
            CatalogItem(self._wid("language", item_id), item_id, name) for item_id, name in SEEDED_LANGUAGES
        )
        self._courses: dict[str, StoredCourse] = {}
        self._enrollments: dict[str, StoredEnrollment] = {}
        self._created = {"course": 0, "enrollment": 0}
        self._manage_calls = 0

    # Seeded reference data

    def find_topic(self, id_type: str, value: str) -> CatalogItem | None:
        return _find(self.topics, "Learning_Topic_ID", id_type, value)

    def find_skill(self, id_type: str, value: str) -> CatalogItem | None:
        return _find(self.skills, "Skill_Item_ID", id_type, value)

    def find_language(self, id_type: str, value: str) -> CatalogItem | None:
        return _find(self.languages, "User_Language_ID", id_type, value)

    def topic(self, topic_id: str) -> CatalogItem:
        return _by_id(self.topics, topic_id)

    def skill(self, skill_id: str) -> CatalogItem:
        return _by_id(self.skills, skill_id)

    def language(self, language_id: str) -> CatalogItem:
        return _by_id(self.languages, language_id)

    # Courses

    def courses(self) -> list[StoredCourse]:
        """Every course, in the order they were created."""
        with self._lock:
            return list(self._courses.values())

    def course(self, course_id: str) -> StoredCourse | None:
        """The course whose Learning_Course_ID is ``course_id``."""
        return self.find_course("Learning_Course_ID", course_id)

    def course_by_wid(self, wid: str) -> StoredCourse | None:
        return self.find_course("WID", wid)

    def find_course(self, id_type: str, value: str) -> StoredCourse | None:
        with self._lock:
            return self._find_course(id_type, value)

    @property
    def manage_calls(self) -> int:
        """How many Manage_Learning_Course requests created or updated a course."""
        with self._lock:
            return self._manage_calls

    def manage_counts(self) -> dict[str, int]:
        """How many Manage_Learning_Course requests touched each course, by its current Learning_Course_ID."""
        return {course.course_id: course.manages for course in self.courses()}

    def manage_course(self, target_wid: str | None, course_id: str | None, course: StoredCourse) -> StoredCourse:
        """Updates the course ``target_wid`` or, when None, creates one; ``course``'s ``wid``, ``course_id``,
        ``manages`` and lesson WIDs are replaced. An update keeps the course's ID unless ``course_id`` is given.
        Raises ``CourseIdInUse`` (a create with an ID in use is refused too: Inferred, no upsert by ID)."""
        with self._lock:
            existing = None if target_wid is None else self._courses.get(target_wid)
            holder = None if course_id is None else self._find_course("Learning_Course_ID", course_id)
            if holder is not None and (existing is None or holder.wid != existing.wid):
                raise CourseIdInUse(course_id)
            if existing is None:
                wid = self._wid("course", str(self._next("course")))
                new_id = course_id if course_id is not None else f"{_GENERATED_COURSE_ID}{self._created['course']}"
                manages = 1
            else:
                wid, new_id, manages = existing.wid, course_id or existing.course_id, existing.manages + 1
            lessons = tuple(
                replace(lesson, wid=self._wid("lesson", f"{wid}:{index}"))
                for index, lesson in enumerate(course.lessons)
            )
            stored = replace(course, wid=wid, course_id=new_id, manages=manages, lessons=lessons)
            self._courses[wid] = stored
            self._manage_calls += 1
            return stored

    # Enrollments

    def enrollments(self, *, include_rescinded: bool = True) -> list[StoredEnrollment]:
        """Every enrollment, in the order they were created."""
        with self._lock:
            return [e for e in self._enrollments.values() if include_rescinded or not e.rescinded]

    def enrollment(self, enrollment_id: str) -> StoredEnrollment | None:
        """The enrollment whose Learning_Enrollment_ID is ``enrollment_id`` (rescinded ones included)."""
        with self._lock:
            return next((e for e in self._enrollments.values() if e.id == enrollment_id), None)

    def enrollments_of(self, employee_id: str, course_reference: str | None = None) -> list[StoredEnrollment]:
        """A learner's enrollments (rescinded ones included), in one course if ``course_reference`` (its
        Learning_Course_ID or WID) is given."""
        course = None if course_reference is None else self._course_named(course_reference)
        return [
            e
            for e in self.enrollments()
            if e.learner_employee_id == employee_id and (course is None or e.course_wid == course.wid)
        ]

    def find_enrollment(self, id_type: str, value: str) -> StoredEnrollment | None:
        """A live (not rescinded) enrollment by WID or Learning_Enrollment_ID."""
        with self._lock:
            if id_type == "WID":
                found = self._enrollments.get(value.strip().lower())
            else:
                found = next((e for e in self._enrollments.values() if e.id == value), None)
            return None if found is None or found.rescinded else found

    def put_enrollment(
        self,
        target_wid: str | None,
        enrollment_id: str | None,
        build: Callable[[StoredEnrollment | None], StoredEnrollment],
    ) -> StoredEnrollment:
        """Updates the enrollment ``target_wid`` or creates one; ``build(existing)`` makes the new version (its
        ``wid``, ``id`` and ``puts`` are replaced). Raises ``EnrollmentIdInUse``."""
        with self._lock:
            existing = None if target_wid is None else self._enrollments.get(target_wid)
            holder = None
            if enrollment_id is not None:
                holder = next((e for e in self._enrollments.values() if e.id == enrollment_id), None)
            if holder is not None and (existing is None or holder.wid != existing.wid):
                raise EnrollmentIdInUse(enrollment_id)
            return self._store_enrollment(existing, enrollment_id, build(existing))

    def launch(self, employee_id: str, course_reference: str, lesson_order: int | None = None) -> StoredEnrollment:
        """A learner launches a course from the Workday UI. Workday finds the learner's live enrollment in the
        course or creates one (``created_on_launch``), completes the launched lesson (the first external lesson,
        or the one of ``lesson_order``) and, when no mandatory lesson is left and the course holds no media
        lesson, completes the course now. Raises ``LookupError`` for an unknown learner or course and
        ``ValueError`` for a course with no external lesson to launch."""
        worker = worker_by_employee_id(self._config, employee_id)
        if worker is None:
            raise LookupError(f"no worker has Employee_ID {employee_id!r}")
        course = self._course_named(course_reference)
        if course is None:
            raise LookupError(f"no course is {course_reference!r}")
        externals = [lesson for lesson in course.lessons if lesson.kind == "external"]
        if lesson_order is not None:
            externals = [lesson for lesson in externals if lesson.order == lesson_order]
        if not externals:
            raise ValueError(f"course {course.course_id!r} has no external lesson to launch")
        launched = min(externals, key=lambda lesson: lesson.order)
        now = self._clock.now_datetime()
        with self._lock:
            current = next(
                (
                    e
                    for e in self._enrollments.values()
                    if not e.rescinded and e.course_wid == course.wid and e.learner_employee_id == employee_id
                ),
                None,
            )
            base = current or StoredEnrollment(
                wid="",
                id="",
                course_wid=course.wid,
                learner_employee_id=employee_id,
                learner_wid=worker.wid,
                registered_date=now.date(),
                created_on_launch=True,
            )
            done = tuple(sorted({*base.completed_lessons, launched.order}))
            completion = base.completion
            if completion is None and _course_complete(course, done):
                completion = now
            updated = replace(base, completed_lessons=done, completion=completion)
            if current is None:
                return self._store_enrollment(None, None, updated)
            self._enrollments[current.wid] = updated  # a launch is not a put: ``puts`` is unchanged
            return updated

    # Internals (the lock is held by the caller where it matters)

    def _store_enrollment(
        self, existing: StoredEnrollment | None, enrollment_id: str | None, enrollment: StoredEnrollment
    ) -> StoredEnrollment:
        if existing is None:
            wid = self._wid("enrollment", str(self._next("enrollment")))
            new_id = enrollment_id or f"{_GENERATED_ENROLLMENT_ID}{self._created['enrollment']}"
            stored = replace(enrollment, wid=wid, id=new_id, puts=1)
        else:
            stored = replace(enrollment, wid=existing.wid, id=enrollment_id or existing.id, puts=existing.puts + 1)
        self._enrollments[stored.wid] = stored
        return stored

    def _course_named(self, reference: str) -> StoredCourse | None:
        return self.find_course("Learning_Course_ID", reference) or self.find_course("WID", reference)

    def _find_course(self, id_type: str, value: str) -> StoredCourse | None:
        if id_type == "WID":
            return self._courses.get(value.strip().lower())
        if id_type == "Learning_Course_ID":
            return next((c for c in self._courses.values() if c.course_id == value), None)
        return None

    def _next(self, kind: Literal["course", "enrollment"]) -> int:
        self._created[kind] += 1
        return self._created[kind]

    def _wid(self, kind: str, key: str) -> str:
        return hashlib.blake2b(f"{self._seed}:{self.tenant}:{kind}:{key}".encode(), digest_size=16).hexdigest()


class LearningCatalogs:
    """The catalogs of every tenant, created on first use."""

    def __init__(self, config: SandboxConfig, clock: SandboxClock) -> None:
        self._config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._catalogs: dict[str, LearningCatalog] = {}

    def tenant(self, name: str) -> LearningCatalog:
        with self._lock:
            catalog = self._catalogs.get(name)
            if catalog is None:
                catalog = self._catalogs[name] = LearningCatalog(name, self._config, self._clock)
            return catalog


def _course_complete(course: StoredCourse, done: Sequence[Decimal]) -> bool:
    # Inferred: a media lesson (the completion blocker) is finished only by opening it in Workday, so a course
    # holding one never completes on launch; otherwise the course completes when every mandatory lesson is done.
    if course.has_media_lesson:
        return False
    return all(lesson.order in done for lesson in course.lessons if lesson.mandatory)


def _find(items: Sequence[CatalogItem], id_name: str, id_type: str, value: str) -> CatalogItem | None:
    if id_type == "WID":
        return next((item for item in items if item.wid == value.strip().lower()), None)
    if id_type == id_name:
        return next((item for item in items if item.id == value), None)
    return None


def _by_id(items: Sequence[CatalogItem], item_id: str) -> CatalogItem:
    found = next((item for item in items if item.id == item_id), None)
    if found is None:
        raise KeyError(item_id)
    return found
