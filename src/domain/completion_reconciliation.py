"""Reconciling the provider's completions with Workday's enrollments, course by course and learner by learner.

A course is Workday's course (its Workday ID), not the external reference a completion named when it was sent:
a course whose reference moved (an upsert matched it by title) still holds the completions sent under the old
reference. The provider is the system of record for completions of its own courses. For each (learner, course)
the provider's view is its latest completion sent through the connector (by completion time, the later one
sent winning a tie); Workday's view is the learner's completed enrollments in the course. Then:

- the provider completed it and Workday holds no completed enrollment: **missing** (fix: push it again);
- both hold it with different results: **differs** (fix: push it again; the push updates that enrollment);
- Workday refused the provider's completion for good (an unknown learner, say): **refused**, with Workday's
  reason. Not fixed by reconcile, which would only be refused again: the provider sends it anew (a changed
  completion) or an operator pushes it again on purpose;
- Workday holds a completed enrollment the provider never completed, or withdrew: **auto-completed** when
  Workday created it on launch, **extra** otherwise (fix: rescind it);
- Workday holds two completed enrollments where the provider holds one completion: one is kept (one with the
  provider's result if any, else the one a push would update) and the others are **extra**.

An enrollment the provider delivered a completion onto, and did not withdraw, is the provider's: it is kept,
never rescinded. A completion still waiting in the outbox is **in flight**: neither matched nor missing, since
the outbox worker is about to deliver it. Enrollments without a completion (a learner who launched but did not
finish) are not compared."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidValue
from domain.learning_completions import Enrollment, LearningCompletion, enrollment_to_update


class SentState(StrEnum):
    """Where a completion the provider sent stands in the connector."""

    DELIVERED = "delivered"
    PENDING = "pending"
    REFUSED = "refused"
    """Workday refused it for good (it judged the completion invalid); sending it again would not help."""
    WITHDRAWN = "withdrawn"
    """Delivered, then withdrawn by the provider (a delete)."""


@dataclass(frozen=True, slots=True)
class SentCompletion:
    completion: LearningCompletion
    state: SentState
    course_id: str | None = None
    """The Workday ID of the course it was delivered to, or that its reference names; None when not known."""
    enrollment_id: str | None = None
    """The enrollment Workday recorded it on, once delivered."""
    note: str | None = None
    """Workday's reason, for a refused completion."""
    settled_at: datetime | None = None
    """When it was delivered, refused or withdrawn."""

    @property
    def course_key(self) -> _CourseKey:
        """What names its course for comparison: the Workday ID, or the reference sent when no course is known
        (such a completion matches no enrollment)."""
        if self.course_id is not None:
            return (_WID, self.course_id)
        return (_REFERENCE, self.completion.learning_object_external_reference)


_WID, _REFERENCE = "wid", "reference"
_CourseKey = tuple[str, str]


class Finding(StrEnum):
    MISSING = "missing"
    DIFFERS = "differs"
    REFUSED = "refused"
    EXTRA = "extra"
    AUTO_COMPLETED = "auto-completed"

    @property
    def meaning(self) -> str:
        """What the finding says, in a clause."""
        return _MEANING[self]

    @property
    def fix(self) -> str | None:
        """What corrects it: ``push``, ``rescind``, or None when reconcile leaves it to a person."""
        return _FIX[self]


_MEANING = {
    Finding.MISSING: "the provider completed it; Workday holds no completion",
    Finding.DIFFERS: "Workday holds another result",
    Finding.REFUSED: "Workday refused the provider's completion for good; push it again once the cause is fixed",
    Finding.EXTRA: "Workday holds a completion the provider never sent, or withdrew",
    Finding.AUTO_COMPLETED: "Workday completed it on launch; the provider never did",
}
_FIX: dict[Finding, str | None] = {
    Finding.MISSING: "push",
    Finding.DIFFERS: "push",
    Finding.REFUSED: None,
    Finding.EXTRA: "rescind",
    Finding.AUTO_COMPLETED: "rescind",
}
_NEEDS_COMPLETION = {Finding.MISSING, Finding.DIFFERS, Finding.REFUSED}
_NEEDS_ENROLLMENT = {Finding.DIFFERS, Finding.EXTRA, Finding.AUTO_COMPLETED}


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """One thing found: ``completion`` is what the provider holds (to push), ``enrollment`` what Workday holds
    (to rescind, or to update by the push). ``course_id`` is the course's Workday ID (or, for a completion
    whose course is not known, its reference), ``course_reference`` the course's reference as shown."""

    finding: Finding
    learner_id: str
    course_reference: str
    completion: LearningCompletion | None = None
    enrollment: Enrollment | None = None
    course_id: str | None = None
    refusal: SentCompletion | None = None
    """For a refused completion: the provider's record of it, with Workday's reason and when."""

    def __post_init__(self) -> None:
        if self.finding in _NEEDS_COMPLETION and self.completion is None:
            raise InvalidValue("completion", f"a {self.finding} discrepancy needs the provider's completion")
        if self.finding in _NEEDS_ENROLLMENT and self.enrollment is None:
            raise InvalidValue("enrollment", f"a {self.finding} discrepancy needs Workday's enrollment")

    @property
    def pushes(self) -> bool:
        """True when the fix pushes the provider's completion."""
        return self.finding.fix == "push"

    @property
    def rescinds(self) -> bool:
        """True when the fix rescinds Workday's enrollment."""
        return self.finding.fix == "rescind"


@dataclass(frozen=True, slots=True)
class Reconciliation:
    discrepancies: tuple[Discrepancy, ...]
    matched: int
    in_flight: int

    def count(self, finding: Finding) -> int:
        return sum(1 for d in self.discrepancies if d.finding is finding)

    @property
    def to_fix(self) -> tuple[Discrepancy, ...]:
        """The discrepancies that ``--fix`` corrects (every one but those left to a person)."""
        return tuple(d for d in self.discrepancies if d.finding.fix is not None)


_Key = tuple[str, _CourseKey]


def reconcile(
    sent: Iterable[SentCompletion], enrollments: Iterable[Enrollment], references: Mapping[str, str] | None = None
) -> Reconciliation:
    """Compares the two views (see the module docstring); ``sent`` in the order the provider sent them, each
    naming its course by Workday ID where known. ``references`` gives courses' current external references by
    Workday ID, for what is shown."""
    sent = list(sent)
    provider: dict[_Key, SentCompletion] = {}
    for item in sent:
        key = (item.completion.learner_id, item.course_key)
        held = provider.get(key)
        if held is None or item.completion.completed_at >= held.completion.completed_at:
            provider[key] = item
    kept_for_provider = {s.enrollment_id for s in sent if s.state is SentState.DELIVERED and s.enrollment_id}
    workday: dict[_Key, list[Enrollment]] = {}
    for enrollment in enrollments:
        workday.setdefault((enrollment.learner_id, (_WID, enrollment.course_id)), []).append(enrollment)
    known = references or {}

    def shown(key: _Key) -> str:
        kind, course = key[1]
        if kind == _REFERENCE:
            return course
        named = next((e.course_reference for e in workday.get(key, []) if e.course_reference), None)
        return known.get(course) or named or course

    found: list[Discrepancy] = []
    matched = in_flight = 0
    for key in sorted(provider.keys() | workday.keys()):
        learner_id, (kind, course_or_reference) = key
        course = course_or_reference if kind == _WID else None
        held = provider.get(key)
        completed = [e for e in workday.get(key, []) if e.completed_at is not None]
        theirs = [e for e in completed if e.workday_id not in kept_for_provider]
        if held is not None and held.state is SentState.PENDING:
            in_flight += 1
            continue
        if held is None or held.state is SentState.WITHDRAWN:
            found.extend(
                Discrepancy(
                    Finding.AUTO_COMPLETED if e.launched_only else Finding.EXTRA,
                    learner_id,
                    shown(key),
                    enrollment=e,
                    course_id=course,
                )
                for e in theirs
            )
            continue
        kept, finding = _compare(held, workday.get(key, []), completed, kept_for_provider)
        if finding is None:
            matched += 1
        else:
            refusal = held if finding is Finding.REFUSED else None
            found.append(Discrepancy(finding, learner_id, shown(key), held.completion, kept, course, refusal))
        if finding is not Finding.REFUSED:
            found.extend(
                Discrepancy(Finding.EXTRA, learner_id, shown(key), enrollment=e, course_id=course)
                for e in theirs
                if e is not kept
            )
    return Reconciliation(tuple(found), matched, in_flight)


def _compare(
    held: SentCompletion, all_held: list[Enrollment], completed: list[Enrollment], providers: set[str]
) -> tuple[Enrollment | None, Finding | None]:
    """The enrollment that stays the learner's completion, and what is wrong with it (None: nothing). A completed
    enrollment with the provider's result is kept as it is (the one the provider delivered onto first);
    otherwise the fix is a push, and a push updates the enrollment ``enrollment_to_update`` picks among all of
    them, completed or not, so that one is kept. A refused completion is reported, never pushed."""
    agreeing = [e for e in completed if e.result is held.completion.result]
    if agreeing:
        own = [e for e in agreeing if e.workday_id in providers]
        return enrollment_to_update(own or agreeing), None
    if held.state is SentState.REFUSED:
        return enrollment_to_update(completed), Finding.REFUSED
    target = enrollment_to_update(all_held)
    if target is None or target.completed_at is None:
        return None, Finding.MISSING
    return target, Finding.DIFFERS
