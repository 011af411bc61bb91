"""Reconciling the provider's completions with Workday's enrollments, course by course and learner by learner.

The provider is the system of record for completions of its own courses. For each (learner, course) the
provider's view is its latest completion sent through the connector (by completion time, the later one sent
winning a tie); Workday's view is the learner's completed enrollments in the course. Then:

- the provider completed it and Workday holds no completed enrollment: **missing** (fix: push it again);
- both hold it with different results: **differs** (fix: push it again; the push updates that enrollment);
- Workday holds a completed enrollment the provider never completed, or withdrew: **auto-completed** when
  Workday created it on launch, **extra** otherwise (fix: rescind it);
- Workday holds two completed enrollments where the provider holds one completion: one is kept (one with the
  provider's result if any, else the one a push would update) and the others are **extra**.

A completion still waiting in the outbox is **in flight**: neither matched nor missing, since the outbox
worker is about to deliver it. Enrollments without a completion (a learner who launched but did not finish)
are not compared."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from domain.errors import InvalidValue
from domain.learning_completions import Enrollment, LearningCompletion, enrollment_to_update


class SentState(StrEnum):
    """Where a completion the provider sent stands in the connector."""

    DELIVERED = "delivered"
    PENDING = "pending"
    REFUSED = "refused"
    """Workday refused it for good; the provider still holds it completed, so Workday is missing it."""
    WITHDRAWN = "withdrawn"
    """Delivered, then withdrawn by the provider (a delete)."""


@dataclass(frozen=True, slots=True)
class SentCompletion:
    completion: LearningCompletion
    state: SentState


class Finding(StrEnum):
    MISSING = "missing"
    DIFFERS = "differs"
    EXTRA = "extra"
    AUTO_COMPLETED = "auto-completed"

    @property
    def meaning(self) -> str:
        """What the finding says, in a clause."""
        return _MEANING[self]


_MEANING = {
    Finding.MISSING: "the provider completed it; Workday holds no completion",
    Finding.DIFFERS: "Workday holds another result",
    Finding.EXTRA: "Workday holds a completion the provider never sent, or withdrew",
    Finding.AUTO_COMPLETED: "Workday completed it on launch; the provider never did",
}


_NEEDS_COMPLETION = {Finding.MISSING, Finding.DIFFERS}
_NEEDS_ENROLLMENT = {Finding.DIFFERS, Finding.EXTRA, Finding.AUTO_COMPLETED}


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """One thing to correct: ``completion`` is what the provider holds (to push), ``enrollment`` what Workday
    holds (to rescind, or to update by the push)."""

    finding: Finding
    learner_id: str
    course_reference: str
    completion: LearningCompletion | None = None
    enrollment: Enrollment | None = None

    def __post_init__(self) -> None:
        if self.finding in _NEEDS_COMPLETION and self.completion is None:
            raise InvalidValue("completion", f"a {self.finding} discrepancy needs the provider's completion")
        if self.finding in _NEEDS_ENROLLMENT and self.enrollment is None:
            raise InvalidValue("enrollment", f"a {self.finding} discrepancy needs Workday's enrollment")

    @property
    def pushes(self) -> bool:
        """True when the fix pushes the provider's completion; False when it rescinds Workday's enrollment."""
        return self.finding in _NEEDS_COMPLETION


@dataclass(frozen=True, slots=True)
class Reconciliation:
    discrepancies: tuple[Discrepancy, ...]
    matched: int
    in_flight: int

    def count(self, finding: Finding) -> int:
        return sum(1 for d in self.discrepancies if d.finding is finding)


_Key = tuple[str, str]


def reconcile(sent: Iterable[SentCompletion], enrollments: Iterable[Enrollment]) -> Reconciliation:
    """Compares the two views (see the module docstring); ``sent`` in the order the provider sent them."""
    provider: dict[_Key, SentCompletion] = {}
    for item in sent:
        key = (item.completion.learner_id, item.completion.learning_object_external_reference)
        held = provider.get(key)
        if held is None or item.completion.completed_at >= held.completion.completed_at:
            provider[key] = item
    workday: dict[_Key, list[Enrollment]] = {}
    for enrollment in enrollments:
        workday.setdefault((enrollment.learner_id, enrollment.course_reference), []).append(enrollment)

    found: list[Discrepancy] = []
    matched = in_flight = 0
    for key in sorted(provider.keys() | workday.keys()):
        learner_id, course = key
        held = provider.get(key)
        completed = [e for e in workday.get(key, []) if e.completed_at is not None]
        if held is not None and held.state is SentState.PENDING:
            in_flight += 1
            continue
        if held is None or held.state is SentState.WITHDRAWN:
            found.extend(
                Discrepancy(
                    Finding.AUTO_COMPLETED if e.launched_only else Finding.EXTRA, learner_id, course, enrollment=e
                )
                for e in completed
            )
            continue
        kept, finding = _compare(held.completion, workday.get(key, []), completed)
        if finding is None:
            matched += 1
        else:
            found.append(Discrepancy(finding, learner_id, course, held.completion, kept))
        found.extend(Discrepancy(Finding.EXTRA, learner_id, course, enrollment=e) for e in completed if e is not kept)
    return Reconciliation(tuple(found), matched, in_flight)


def _compare(
    completion: LearningCompletion, all_held: list[Enrollment], completed: list[Enrollment]
) -> tuple[Enrollment | None, Finding | None]:
    """The enrollment that stays the learner's completion, and what is wrong with it (None: nothing). A completed
    enrollment with the provider's result is kept as it is; otherwise the fix is a push, and a push updates the
    enrollment ``enrollment_to_update`` picks among all of them, completed or not, so that one is kept."""
    agreeing = [e for e in completed if e.result is completion.result]
    if agreeing:
        return enrollment_to_update(agreeing), None
    target = enrollment_to_update(all_held)
    if target is None or target.completed_at is None:
        return None, Finding.MISSING
    return target, Finding.DIFFERS
