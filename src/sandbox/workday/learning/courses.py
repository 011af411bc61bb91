"""What the tenant's Workday Learning catalog holds for the unified LMS operations: its topics, skills, languages
and media file (seeded) and the digital courses put with Manage_Learning_Course; per tenant, thread-safe. The
enrollments in these courses are in ``enrollments``.

Every WID is 32 hex, a pure function of the seed, the tenant, the kind and a counter or name, so stable from run
to run.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from sandbox.config import SandboxConfig

LessonKind = Literal["external", "media"]

# The tenant's topics (their Learning_Topic ID, name, description).
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
# The tenant's skills (Skill_ID, name), listed by the Talent service's Get_Skills.
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


class CourseIdInUse(Exception):
    """A course would get a Learning_Course_ID another course has."""


class CourseStore:
    """One tenant's courses, topics, skills and languages. Tests read it through ``SandboxServer.learning``."""

    def __init__(self, tenant: str, config: SandboxConfig) -> None:
        self.tenant = tenant
        self.media_file_wid = config.media_file_wid.lower()
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
        self._created = 0
        self._manage_calls = 0

    # Seeded reference data

    def find_topic(self, id_type: str, value: str) -> CatalogItem | None:
        return _find(self.topics, "Learning_Topic", id_type, value)

    def find_skill(self, id_type: str, value: str) -> CatalogItem | None:
        return _find(self.skills, "Skill_ID", id_type, value)

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
                self._created += 1
                wid = self._wid("course", str(self._created))
                new_id = course_id if course_id is not None else f"{_GENERATED_COURSE_ID}{self._created}"
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

    # Internals (the lock is held by the caller)

    def course_named(self, reference: str) -> StoredCourse | None:
        """The course whose Learning_Course_ID or WID is ``reference``."""
        return self.find_course("Learning_Course_ID", reference) or self.find_course("WID", reference)

    def _find_course(self, id_type: str, value: str) -> StoredCourse | None:
        if id_type == "WID":
            return self._courses.get(value.strip().lower())
        if id_type == "Learning_Course_ID":
            return next((c for c in self._courses.values() if c.course_id == value), None)
        return None

    def _wid(self, kind: str, key: str) -> str:
        return tenant_wid(self._seed, self.tenant, kind, key)


def tenant_wid(seed: int, tenant: str, kind: str, key: str) -> str:
    """A WID: 32 hex, a pure function of the seed, the tenant, the kind and a counter or name."""
    return hashlib.blake2b(f"{seed}:{tenant}:{kind}:{key}".encode(), digest_size=16).hexdigest()


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
