"""Transcript sync: the provider's passed completions as Workday Learning imported content and imported records
(the seed's "Put Learning Imported Content" and "Put Learning Imported Record").

The rules:
1. One imported content per course: ID = the course's stable ID, Title = the course name, Description = the
   course description, field of study and credits on one readable line. It is sent when Workday has never
   had it, and again only when its title or description changes.
2. One imported record per passed completion: ID = the completion ID, Learner = the Employee ID, Learning
   Imported Content = the course ID, Completion Date = the completion's date in the tenant's time zone,
   Learning Grade = PASS. Start Date and Overall Score are left out, as the seed says.
3. A failed completion is never sent. A revoked completion that was delivered is sent again with Inactive;
   one that was never delivered is not sent at all.
4. A completion whose learner has no Workday Employee ID is held back, with the reason.
5. Whatever was settled before (delivered, or refused by Workday as invalid) with the same payload is not sent
   again; a changed payload is. So a run repeated, or restarted after a crash, sends only what is left.
6. Every row carries its Spreadsheet Key, numbered from 1 within the run in each of the two sheets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

from domain.errors import InvalidValue

PASS_GRADE = "PASS"  # noqa: S105 - the seed's Learning Grade, not a password


def _text(field: str, value: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InvalidValue(field, "is blank")
    return cleaned


@dataclass(frozen=True, slots=True)
class ProviderCompletion:
    """A learner's completion of a course on the provider's side. ``completed_at`` carries its time zone."""

    completion_id: str
    learner_employee_id: str | None
    course_id: str
    title: str
    description: str
    field_of_study: str
    credits: Decimal
    completed_at: datetime
    passed: bool
    revoked: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "completion_id", _text("completion_id", self.completion_id))
        object.__setattr__(self, "course_id", _text("course_id", self.course_id))
        object.__setattr__(self, "title", _text("title", self.title))
        if self.learner_employee_id is not None and not self.learner_employee_id.strip():
            object.__setattr__(self, "learner_employee_id", None)
        if self.completed_at.utcoffset() is None:
            raise InvalidValue("completed_at", "must carry a time zone")
        if self.credits < 0:
            raise InvalidValue("credits", f"{self.credits} is negative")


def _payload_hash(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ImportedContent:
    """One row of "Put Learning Imported Content"."""

    spreadsheet_key: int
    id: str
    title: str
    description: str

    @property
    def payload_hash(self) -> str:
        """What Workday holds, independent of the run: the spreadsheet key is left out."""
        return _payload_hash("content", self.id, self.title, self.description)


@dataclass(frozen=True, slots=True)
class ImportedRecord:
    """One row of "Put Learning Imported Record"."""

    spreadsheet_key: int
    id: str
    learner_employee_id: str
    content_id: str
    completion_date: date
    grade: str = PASS_GRADE
    inactive: bool = False

    @property
    def payload_hash(self) -> str:
        return _payload_hash(
            "record",
            self.id,
            self.learner_employee_id,
            self.content_id,
            self.completion_date,
            self.grade,
            self.inactive,
        )


@dataclass(frozen=True, slots=True)
class HeldBack:
    completion_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Settled:
    """What Workday already holds (or refused as invalid) by item ID: the payload hash it was settled with."""

    contents: Mapping[str, str]
    records: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class TranscriptPlan:
    contents: tuple[ImportedContent, ...]
    records: tuple[ImportedRecord, ...]
    held_back: tuple[HeldBack, ...]
    not_sent: int
    """Completions that need nothing: failed, revoked before delivery, or already settled as they are."""

    @property
    def is_empty(self) -> bool:
        return not self.contents and not self.records


def describe_course(completion: ProviderCompletion) -> str:
    """The imported content's description: the course description, field of study and credits on one line."""
    parts = [" ".join(completion.description.split()).rstrip(".")]
    parts.append(f"Field of study: {' '.join(completion.field_of_study.split())}")
    parts.append(f"Credits: {completion.credits.normalize():f}")
    return ". ".join(p for p in parts if p) + "."


def plan_transcripts(
    completions: Iterable[ProviderCompletion], settled: Settled, tenant_zone: ZoneInfo, grade: str = PASS_GRADE
) -> TranscriptPlan:
    """The content and records to send so that Workday holds every passed completion once, as of ``settled``,
    each record with ``grade``, the tenant's Learning Grade of a pass (tenants configure their own).
    When the same completion appears more than once in the feed, its last appearance wins (the provider's
    latest version); so does a course's: its content comes from the last completion of it in the feed."""
    latest: dict[str, ProviderCompletion] = {}
    course_content: dict[str, ImportedContent] = {}
    for completion in completions:
        latest[completion.completion_id] = completion
        course_content[completion.course_id] = _content_for(completion)

    needed: set[str] = set()
    records: list[ImportedRecord] = []
    held_back: list[HeldBack] = []
    not_sent = 0
    for completion in sorted(latest.values(), key=lambda c: (c.completed_at, c.completion_id)):
        record = _record_for(completion, settled, tenant_zone, grade)
        if isinstance(record, HeldBack):
            held_back.append(record)
        elif record is None:
            not_sent += 1
        else:
            records.append(record)
            needed.add(completion.course_id)
    # A course already in Workday whose title or description changed is sent again, records or not.
    needed |= {course for course in course_content if course in settled.contents}
    courses = {course: course_content[course] for course in needed}

    contents = [c for c in courses.values() if settled.contents.get(c.id) != c.payload_hash]
    return TranscriptPlan(
        contents=tuple(_renumber(sorted(contents, key=lambda c: c.id))),
        records=tuple(_renumber(records)),
        held_back=tuple(held_back),
        not_sent=not_sent,
    )


def _content_for(completion: ProviderCompletion) -> ImportedContent:
    return ImportedContent(0, completion.course_id, completion.title, describe_course(completion))


def _record_for(
    completion: ProviderCompletion, settled: Settled, zone: ZoneInfo, grade: str
) -> ImportedRecord | HeldBack | None:
    if not completion.passed:
        return None
    was_delivered = completion.completion_id in settled.records
    if completion.revoked and not was_delivered:
        return None
    if completion.learner_employee_id is None:
        return HeldBack(completion.completion_id, "the learner has no Workday Employee ID on the provider's side")
    record = ImportedRecord(
        spreadsheet_key=0,
        id=completion.completion_id,
        learner_employee_id=completion.learner_employee_id,
        content_id=completion.course_id,
        completion_date=completion.completed_at.astimezone(zone).date(),
        grade=grade,
        inactive=completion.revoked,
    )
    if settled.records.get(record.id) == record.payload_hash:
        return None
    return record


_Row = TypeVar("_Row", ImportedContent, ImportedRecord)


def _renumber(rows: list[_Row]) -> list[_Row]:
    return [replace(row, spreadsheet_key=key) for key, row in enumerate(rows, start=1)]
