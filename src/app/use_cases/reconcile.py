"""``reconcile``: the provider's completions (what it sent through the connector) against Workday's enrollments,
gathered course by course, compared by ``domain.completion_reconciliation``, and, when asked, corrected: a
missing or differing completion is pushed again (updating the learner's enrollment), an extra or auto-completed
one is rescinded.

Which courses are compared: every course the account has sent a completion for, the ones asked for by
reference, and, with ``all_courses``, every digital course in Workday's catalog. The last is not the default:
on a tenant that also holds other providers' digital courses, their completions are not ours to rescind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from returns.result import Failure

from app.use_cases.lms import PushCompletion
from domain.completion_reconciliation import Discrepancy, Reconciliation, SentCompletion, reconcile
from domain.learning_completions import Enrollment
from domain.ports.enrollment_registry import EnrollmentRegistry
from domain.ports.learning_catalog import LearningCatalog
from domain.ports.sent_completions import SentCompletions


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
    ) -> None:
        self._catalog = catalog
        self._enrollments = enrollments
        self._sent = sent
        self._push = push
        self._account = account

    def __call__(self, courses: Iterable[str] = (), *, all_courses: bool = False, fix: bool = False) -> ReconcileResult:
        sent = list(self._sent.sent(self._account))
        scope = _scope(sent, courses, [c.external_reference for c in self._catalog.courses()] if all_courses else [])
        held: list[Enrollment] = []
        for course in scope:
            held.extend(self._enrollments.enrollments(None, course))
        found = reconcile(sent, held)
        fixes = tuple(self._fix(d) for d in found.discrepancies) if fix else ()
        return ReconcileResult(scope, found, fixes)

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


def _scope(sent: list[SentCompletion], asked: Iterable[str], catalog: list[str]) -> tuple[str, ...]:
    return tuple(sorted({s.completion.learning_object_external_reference for s in sent} | set(asked) | set(catalog)))
