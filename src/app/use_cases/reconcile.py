"""``reconcile``: the provider's completions (what it sent through the connector) against Workday's enrollments,
gathered course by course, compared by ``domain.completion_reconciliation``, and, when asked, corrected: a
missing or differing completion is pushed again (updating the learner's enrollment), an extra or auto-completed
one is rescinded. A run that corrects is recorded in the run ledger like a sync (``wlc runs show``): each push or
rescission an action, committed as it is made, with what was found and what Workday said.

Which courses are compared: every course the account has sent a completion for, the ones asked for by
reference, and, with ``all_courses``, every digital course in Workday's catalog. The last is not the default:
on a tenant that also holds other providers' digital courses, their completions are not ours to rescind."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from returns.result import Failure

from app.use_cases.lms import PushCompletion
from domain.completion_reconciliation import Discrepancy, Reconciliation, SentCompletion, reconcile
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
        sent = list(self._sent.sent(self._account))
        scope = _scope(sent, courses, [c.external_reference for c in self._catalog.courses()] if all_courses else [])
        held: list[Enrollment] = []
        for course in scope:
            held.extend(self._enrollments.enrollments(None, course))
        found = reconcile(sent, held)
        if not fix:
            return ReconcileResult(scope, found)
        run = self._ledger.start_run(RunKind.RECONCILE, self._account, self._clock.now())
        fixes: list[Fix] = []
        try:
            for discrepancy in found.discrepancies:
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
        message = (
            f"compared {len(scope)} course(s): {found.matched} matched, {len(fixes) - failed} corrected, "
            f"{failed} could not be corrected"
        )
        self._ledger.finish_run(run.id, outcome, self._clock.now(), _counts(found, fixes), message)
        return ReconcileResult(scope, found, tuple(fixes), run.id)

    def _action(self, fix: Fix) -> ActionRecord:
        d = fix.discrepancy
        where = f"learner {d.learner_id}, course {d.course_reference}"
        if d.enrollment is not None:
            where += f", enrollment {d.enrollment.workday_id}"
        return ActionRecord(
            kind="push" if d.pushes else "rescind",
            subject=where,
            why=f"{d.finding.value}: {d.finding.meaning}",
            at=self._clock.now(),
            result=ActionResult.FAILED if fix.error is not None else ActionResult.APPLIED,
            error=fix.error,
        )

    def _fix(self, discrepancy: Discrepancy) -> Fix:
        if discrepancy.pushes:
            assert discrepancy.completion is not None  # a Discrepancy that pushes holds it
            pushed = self._push(discrepancy.completion)
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


def _scope(sent: list[SentCompletion], asked: Iterable[str], catalog: list[str]) -> tuple[str, ...]:
    return tuple(sorted({s.completion.learning_object_external_reference for s in sent} | set(asked) | set(catalog)))
