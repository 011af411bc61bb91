from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace

from returns.result import Failure, Result, Success

from domain.content_dedup import CatalogCourse, same_title
from domain.course_detail import CourseDetail, CoverImageFacts
from domain.course_wrapper import DigitalCourse, Lesson
from domain.deliveries import DeliveryRefused
from domain.learning_content import Named
from domain.omissions import Omission, Publication
from domain.ports.course_publisher import CoursePublisher
from domain.ports.learning_catalog import LearningCatalog

LANGUAGES, SKILLS, REQUIRES_ENROLLMENT = "languages", "skills", "requires_enrollment"
_TAKEABLE = (LANGUAGES, SKILLS, REQUIRES_ENROLLMENT)


@dataclass(frozen=True, slots=True)
class PublishedCourse:
    """A course as the fake holds it: what the catalog shows and what was last published."""

    catalog: CatalogCourse
    course: DigitalCourse
    left_out: tuple[Omission, ...] = ()


class InMemoryWorkdayLearning(LearningCatalog, CoursePublisher):
    """Workday's digital courses in a dict, readable as a catalog and writable as a publisher, with Workday's
    rules as the sandbox plays them: every topic and skill must be one Workday has (by name or ID, else a
    ``Failure`` naming it), a course ID belongs to one course, and an update rekeys the course to the published
    external reference. ``refuse`` holds external references whose publishing Workday refuses. ``languages``
    names the locale codes a course's detail shows (by ID); a code not among them is shown by its code. A topic
    or skill given without a WID gets one, as everything Workday holds has one. ``lacks`` names what this
    tenant's Workday cannot take (``languages``, ``skills``, ``requires_enrollment``): a course is published
    without it, and the publication says it was left out."""

    def __init__(
        self,
        topics: Iterable[Named] = (),
        skills: Iterable[Named] = (),
        refuse: Iterable[str] = (),
        languages: Iterable[Named] = (),
        lacks: Iterable[str] = (),
    ) -> None:
        unknown = set(lacks) - set(_TAKEABLE)
        if unknown:
            raise ValueError(f"lacks: {sorted(unknown)} are not among {_TAKEABLE}")
        self.lacks = frozenset(lacks)
        self.known_topics = [_with_wid(t, "topic") for t in topics]
        self.known_skills = [_with_wid(s, "skill") for s in skills]
        self.known_languages = list(languages)
        self.refuse = set(refuse)
        self.stored_courses: dict[str, PublishedCourse] = {}
        self.publishes = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def course_by_reference(self, external_reference: str) -> CatalogCourse | None:
        with self._lock:
            return next(
                (s.catalog for s in self.stored_courses.values() if s.catalog.external_reference == external_reference),
                None,
            )

    def courses(self) -> list[CatalogCourse]:
        with self._lock:
            return [s.catalog for s in self.stored_courses.values()]

    def courses_by_title(self, title: str) -> list[CatalogCourse]:
        with self._lock:
            return [s.catalog for s in self.stored_courses.values() if same_title(s.catalog.title, title)]

    def lessons(self, course: CatalogCourse) -> list[Lesson]:
        with self._lock:
            stored = self.stored_courses.get(course.workday_id)
            return [] if stored is None else sorted(stored.course.lessons, key=lambda lesson: lesson.order)

    def course_detail(self, external_reference: str) -> CourseDetail | None:
        with self._lock:
            stored = next(
                (s for s in self.stored_courses.values() if s.catalog.external_reference == external_reference), None
            )
        if stored is None:
            return None
        course, image = stored.course, stored.course.image
        return CourseDetail(
            course=stored.catalog,
            description=course.description,
            lessons=course.lessons,
            categories=tuple(_as_known(t, self.known_topics) for t in course.topics),
            skills=tuple(_as_known(s, self.known_skills) for s in course.skills),
            languages=tuple(_as_known(code, self.known_languages, code) for code in course.languages),
            duration_minutes=course.duration_minutes,
            requires_enrollment=None
            if any(o.field == REQUIRES_ENROLLMENT for o in stored.left_out)
            else course.requires_enrollment,
            cover_image=None
            if image is None
            else CoverImageFacts(image.file_name, image.content_type, len(image.data)),
        )

    def topics(self) -> list[Named]:
        return list(self.known_topics)

    def skills(self) -> list[Named]:
        return list(self.known_skills)

    def publish(self, course: DigitalCourse, existing: CatalogCourse | None) -> Result[Publication, DeliveryRefused]:
        with self._lock:
            self.publishes += 1
            problem = self._problem(course, existing)
            if problem is not None:
                return Failure(DeliveryRefused(f"course {course.external_reference!r}", problem, retryable=False))
            kept, left_out = self._takeable(course)
            workday_id = existing.workday_id if existing is not None else f"wid-course-{next(self._ids):06d}"
            catalog = CatalogCourse(workday_id, course.external_reference, course.title, course.active)
            self.stored_courses[workday_id] = PublishedCourse(catalog, kept, left_out)
            return Success(Publication(catalog, left_out))

    def _takeable(self, course: DigitalCourse) -> tuple[DigitalCourse, tuple[Omission, ...]]:
        """``course`` without what this tenant cannot take, and what was left out."""
        given = {LANGUAGES: bool(course.languages), SKILLS: bool(course.skills), REQUIRES_ENROLLMENT: True}
        lacked = tuple(name for name in _TAKEABLE if name in self.lacks and given[name])
        kept = replace(
            course,
            languages=() if LANGUAGES in lacked else course.languages,
            skills=() if SKILLS in lacked else course.skills,
        )
        return kept, tuple(Omission(name, f"the fake tenant's Workday takes no {name}") for name in lacked)

    def stored(self, external_reference: str) -> DigitalCourse | None:
        """What was last published under ``external_reference`` (for tests)."""
        with self._lock:
            return next(
                (s.course for s in self.stored_courses.values() if s.catalog.external_reference == external_reference),
                None,
            )

    def _problem(self, course: DigitalCourse, existing: CatalogCourse | None) -> str | None:
        if course.external_reference in self.refuse:
            return f"Learning_Course_ID {course.external_reference!r}: Workday refused the course"
        if existing is not None and existing.workday_id not in self.stored_courses:
            return f"Invalid ID value. '{existing.workday_id}' is not a valid ID value for type = 'WID'"
        for name, known, id_type in (
            *((t, self.known_topics, "Learning_Topic") for t in course.topics),
            *((s, self.known_skills, "Skill_ID") for s in course.skills),
        ):
            if not _known(name, known):
                return f"Invalid ID value. '{name}' is not a valid ID value for type = '{id_type}'"
        if not course.topics:
            return "Topic_Reference: at least one Learning Topic is required"
        holder = next(
            (s for s in self.stored_courses.values() if s.catalog.external_reference == course.external_reference), None
        )
        if holder is not None and (existing is None or holder.catalog.workday_id != existing.workday_id):
            return (
                f"Learning_Course_ID {course.external_reference!r} is already used by course "
                f"{holder.catalog.workday_id}"
            )
        return None


def _find(name: str, known: list[Named]) -> Named | None:
    return next((k for k in known if k.id == name or k.name.casefold() == name.casefold()), None)


def _known(name: str, known: list[Named]) -> bool:
    return _find(name, known) is not None


def _as_known(name: str, known: list[Named], id_: str | None = None) -> Named:
    """``name`` (a name or an ID) as Workday holds it: its name and ID; itself, with ``id_``, when unknown."""
    return _find(name, known) or Named(name, id_)


def _with_wid(item: Named, kind: str) -> Named:
    if item.workday_id is not None:
        return item
    return replace(item, workday_id=f"wid-{kind}-{item.id or item.name}")
