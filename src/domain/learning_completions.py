"""Completions pushed through the unified LMS API (seed 001 section 3.2): one enrollment per learner and course
in Workday, updated in place, because Workday creates one by itself when a learner launches content."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from returns.result import Failure, Result, Success

from domain.errors import InvalidValue
from domain.learning_content import Named


class CompletionResult(StrEnum):
    PASS = "pass"  # noqa: S105 - a result, not a password
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class LearningCompletion:
    learner_id: str
    """The learner's Workday Employee ID (the ``{id}`` of ``/unified/lms/users/{id}/completions``)."""
    learning_object_external_reference: str
    result: CompletionResult
    completed_at: datetime
    time_spent: timedelta | None = None
    score: Decimal | None = None
    """0 to 100."""
    score_raw: str | None = None

    def __post_init__(self) -> None:
        for field in ("learner_id", "learning_object_external_reference"):
            if not getattr(self, field).strip():
                raise InvalidValue(field, "is blank")
        if self.completed_at.utcoffset() is None:
            raise InvalidValue("completed_at", "must carry a time zone")
        if self.score is not None and not Decimal(0) <= self.score <= Decimal(100):
            raise InvalidValue("score.value", f"{self.score} is not between 0 and 100")
        if self.time_spent is not None and self.time_spent < timedelta(0):
            raise InvalidValue("time_spent", "is negative")


@dataclass(frozen=True, slots=True)
class Enrollment:
    """A learner's enrollment in a course, as Workday holds it."""

    workday_id: str
    learner_id: str
    course_id: str
    """The course's Workday ID (WID): the course's identity, which stays when its external reference moves."""
    course_reference: str | None = None
    """The course's external reference as Workday now gives it; None when Workday gave none."""
    completed_at: datetime | None = None
    result: CompletionResult | None = None
    score: Decimal | None = None
    launched_only: bool = False
    """Created by Workday when the learner launched the content (an auto-completion), not by a push."""


def enrollment_to_update(existing: Sequence[Enrollment]) -> Enrollment | None:
    """The enrollment a push updates: the learner's one for the course, or the oldest if Workday made more."""
    return min(existing, key=lambda e: e.workday_id) if existing else None


_SINGULAR = {"categories": "category", "skills": "skill"}


def check_names(requested: Sequence[Named], known: Sequence[Named], field: str) -> Result[tuple[Named, ...], str]:
    """Every requested name (or ID) must be one Workday has; an unknown one is refused naming close matches."""
    by_name = {k.name.casefold(): k for k in known}
    by_id = {i: k for k in known for i in (k.id, k.workday_id) if i is not None}
    found: list[Named] = []
    problems: list[str] = []
    for item in requested:
        match = by_id.get(item.id) if item.id is not None else None
        match = match or by_name.get(item.name.casefold())
        if match is None:
            close = difflib.get_close_matches(item.name, [k.name for k in known], n=3, cutoff=0.6)
            hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
            problems.append(f"{item.name!r} is not a Workday {_SINGULAR.get(field, field)}{hint}")
        else:
            found.append(match)
    if problems:
        return Failure(f"{field}: " + "; ".join(problems))
    return Success(tuple(found))
