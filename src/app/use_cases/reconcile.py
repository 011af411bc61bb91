"""``reconcile``: the provider's completions (what it sent through the connector) against Workday's enrollments,
gathered course by course, compared by ``domain.completion_reconciliation``, and, when asked, corrected: a
missing or differing completion is pushed again (updating the learner's enrollment), an extra or auto-completed
one is rescinded. A run that corrects is recorded in the run ledger like a sync (``wlc runs show``): each push or
rescission an action, committed as it is made, with what was found and what Workday said.

Which courses are compared: every course the account has sent a completion for, the ones asked for by
reference, and, with ``all_courses``, every digital course in Workday's catalog. The last is not the default:
on a tenant that also holds other providers' digital courses, their completions are not ours to rescind.

A course is Workday's course: a completion delivered to a course stays that course's when the course's
external reference moves (the outbox keeps the course's Workday ID). One sent before the outbox kept it is
placed by its reference, or failing that by the enrollment it was recorded on."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from returns.result import Failure

from app.use_cases.lms import PushCompletion
from domain.completion_reconciliation import Discrepancy, Finding, Reconciliation, SentCompletion, reconcile
from domain.learning_completions import Enrollment
from domain.ports.clock import Clock
from domain.ports.enrollment_registry import EnrollmentRegistry
from domain.ports.learning_catalog import LearningCatalog
from domain.ports.sent_completions import SentCompletions
from domain.ports.sync_ledger import SyncLedger
from domain.runs import ActionRecord, ActionResult, RunKind, RunOutcome


@dataclass(frozen=True, slots=True)
class Fix:
    discrepancy: Discrepancy
    error: str | None = None
    """Why the correction was not made; None when it was."""


@dataclass(frozen=True, slots=True)
class ReconcileResult:
    courses: tuple[str, ...]
    """The external references compared, sorted."""
    reconciliation: Reconciliation
    fixes: tuple[Fix, ...] = ()
    run_id: int | None = None
    """The run ledger's record of the corrections; None for a dry run."""
    unknown_courses: tuple[str, ...] = ()
    """References asked for that no course in Workday has."""

    @property
    def failed(self) -> tuple[Fix, ...]:
        return tuple(f for f in self.fixes if f.error is not None)


class ReconcileCompletions:
    def __init__(
        self,
        catalog: LearningCatalog,
        enrollments: EnrollmentRegistry,
        sent: SentCompletions,
        push: PushCompletion,
        account: str,
        ledger: SyncLedger,
        clock: Clock,
    ) -> None:
        self._catalog = catalog
        self._enrollments = enrollments
        self._sent = sent
        self._push = push
        self._account = account
        self._ledger = ledger
        self._clock = clock

    def __call__(self, courses: Iterable[str] = (), *, all_courses: bool = False, fix: bool = False) -> ReconcileResult:
        places = _Places(self._catalog, self._enrollments)
        if all_courses:
            places.add_catalog()
        sent = [places.place(s) for s in self._sent.sent(self._account)]
        asked = {reference: places.by_reference(reference) for reference in courses}
        scope = {s.course_id for s in sent if s.course_id is not None}
        scope |= {course for course in asked.values() if course is not None} | places.catalog_ids
        held: list[Enrollment] = []
        for course in sorted(scope):
            held.extend(self._enrollments.enrollments(None, course))
        references = places.references(held)
        found = reconcile(sent, held, references)
        unplaced = {s.completion.learning_object_external_reference for s in sent if s.course_id is None}
        shown = tuple(sorted({references.get(course, course) for course in scope} | unplaced))
        unknown = tuple(sorted(reference for reference, course in asked.items() if course is None))
        if not fix:
            return ReconcileResult(shown, found, unknown_courses=unknown)
        run = self._ledger.start_run(RunKind.RECONCILE, self._account, self._clock.now())
        fixes: list[Fix] = []
        try:
            for discrepancy in found.to_fix:
                try:
                    fixes.append(self._fix(discrepancy))
                except Exception as stopped:  # Workday or the ledger went away: the attempt is recorded too
                    fixes.append(Fix(discrepancy, f"stopped: {stopped}"))
                    self._ledger.record_actions(run.id, [self._action(fixes[-1])])
                    raise
                self._ledger.record_actions(run.id, [self._action(fixes[-1])])
        except BaseException as stopped:
            with contextlib.suppress(Exception):  # a ledger that failed may fail again: the first error is the news
                self._ledger.finish_run(
                    run.id, RunOutcome.FAILED, self._clock.now(), _counts(found, fixes), f"stopped: {stopped}"
                )
            raise
        failed = sum(1 for f in fixes if f.error is not None)
        outcome = RunOutcome.PARTIAL if failed else RunOutcome.SUCCEEDED
        refused = found.count(Finding.REFUSED)
        message = (
            f"compared {len(scope)} course(s): {found.matched} matched, {len(fixes) - failed} corrected, "
            f"{failed} could not be corrected"
            + (f", {refused} refused by Workday left for an operator" if refused else "")
        )
        self._ledger.finish_run(run.id, outcome, self._clock.now(), _counts(found, fixes), message)
        return ReconcileResult(shown, found, tuple(fixes), run.id, unknown)

    def _action(self, fix: Fix) -> ActionRecord:
        d = fix.discrepancy
        where = f"learner {d.learner_id}, course {d.course_reference}"
        if d.enrollment is not None:
            where += f", enrollment {d.enrollment.workday_id}"
        return ActionRecord(
            kind=d.finding.fix or d.finding.value,
            subject=where,
            why=f"{d.finding.value}: {d.finding.meaning}",
            at=self._clock.now(),
            result=ActionResult.FAILED if fix.error is not None else ActionResult.APPLIED,
            error=fix.error,
        )

    def _fix(self, discrepancy: Discrepancy) -> Fix:
        if discrepancy.pushes:
            assert discrepancy.completion is not None  # a Discrepancy that pushes holds it
            pushed = self._push(discrepancy.completion, discrepancy.course_id)
            if isinstance(pushed, Failure):
                refusal = pushed.failure()
                return Fix(discrepancy, "; ".join((refusal.message, *refusal.provider_errors)))
            return Fix(discrepancy)
        assert discrepancy.enrollment is not None  # a Discrepancy that rescinds holds it
        rescinded = self._enrollments.rescind(discrepancy.enrollment)
        if isinstance(rescinded, Failure):
            return Fix(discrepancy, str(rescinded.failure()))
        return Fix(discrepancy)


def _counts(found: Reconciliation, fixes: list[Fix]) -> dict[str, int]:
    failed = sum(1 for f in fixes if f.error is not None)
    findings = Counter(d.finding.value for d in found.discrepancies)
    return {"matched": found.matched, **findings, "corrected": len(fixes) - failed, "failed": failed}


class _Places:
    """Where each course is: Workday IDs by external reference (each asked of the catalog once), the catalog's
    courses, and the course of an enrollment a completion was recorded on."""

    def __init__(self, catalog: LearningCatalog, enrollments: EnrollmentRegistry) -> None:
        self._catalog = catalog
        self._enrollments = enrollments
        self._by_reference: dict[str, str | None] = {}
        self._references: dict[str, str] = {}
        self.catalog_ids: set[str] = set()

    def add_catalog(self) -> None:
        for course in self._catalog.courses():
            self.catalog_ids.add(course.workday_id)
            self._by_reference[course.external_reference] = course.workday_id
            self._references[course.workday_id] = course.external_reference

    def by_reference(self, reference: str) -> str | None:
        if reference not in self._by_reference:
            course = self._catalog.course_by_reference(reference)
            self._by_reference[reference] = None if course is None else course.workday_id
            if course is not None:
                self._references[course.workday_id] = course.external_reference
        return self._by_reference[reference]

    def place(self, sent: SentCompletion) -> SentCompletion:
        """``sent`` naming its course by Workday ID where it can be found."""
        if sent.course_id is not None:
            return sent
        course = self.by_reference(sent.completion.learning_object_external_reference)
        if course is None and sent.enrollment_id is not None:
            enrollment = self._enrollments.get(sent.enrollment_id)
            course = None if enrollment is None else enrollment.course_id
        return sent if course is None else replace(sent, course_id=course)

    def references(self, held: Iterable[Enrollment]) -> dict[str, str]:
        """Each known course's current external reference, by Workday ID."""
        found = dict(self._references)
        for enrollment in held:
            if enrollment.course_reference:
                found.setdefault(enrollment.course_id, enrollment.course_reference)
        return found
