"""An operator's decision on a membership plan the removal guard blocked: approve it (apply exactly that plan, as
the blocked run keeps it) or reject it. The guard's promise holds: a truncated report removes no one unless a
person, named in the ledger, said so for that very plan.

The rule for which plan may be decided: only the latest membership run of its tenant, while it is still
``blocked``. A plan is stale once a later membership run of the tenant exists (whatever that run's outcome,
running included): the members it was planned against may have changed, and the later run planned again. A plan
is decided once: two operators deciding at once, one wins (``SyncLedger.decide_blocked``). An approved run is
applied under its own id; it ends ``succeeded`` or ``partial``, each action recorded with who approved it. A
process that dies while applying leaves the run ``running``, the actions it did not reach ``planned``: the next
membership sync plans from the members as they then are."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from returns.result import Failure, Result, Success

from app.use_cases.membership import (
    ApplyMembershipActions,
    MembershipSyncResult,
    ProgressCallback,
    keep_applied,
)
from domain.errors import InvalidValue
from domain.membership_plan import Invite, MembershipAction, Removal, Update
from domain.membership_record import planned_action
from domain.ports.clock import Clock
from domain.ports.member_registry import MemberRegistry
from domain.ports.sync_ledger import SyncLedger
from domain.runs import ActionResult, Run, RunKind, RunOutcome


class Refusal(StrEnum):
    UNKNOWN_RUN = "unknown run"
    OTHER_TENANT = "another tenant's run"
    NOT_MEMBERSHIP = "not a membership run"
    NOT_BLOCKED = "not blocked"
    """Never blocked, or already approved or rejected."""
    SUPERSEDED = "superseded"
    """A later membership run of the tenant exists."""
    UNREADABLE = "unreadable plan"
    """A planned action in the ledger does not hold an action to apply."""


@dataclass(frozen=True, slots=True)
class DecisionRefused:
    """Why run ``run_id``'s plan cannot be approved or rejected, in a sentence naming the run."""

    run_id: int
    refusal: Refusal
    message: str


class _Decision:
    def __init__(self, ledger: SyncLedger, clock: Clock, tenant: str) -> None:
        self._ledger = ledger
        self._clock = clock
        self._tenant = tenant

    def _decidable(self, run_id: int) -> Result[Run, DecisionRefused]:
        """The run, when it is this tenant's blocked membership run with no later one; else why not."""
        run = self._ledger.run(run_id)
        if run is None:
            return self._refused(run_id, Refusal.UNKNOWN_RUN, f"there is no run {run_id} in the ledger")
        if run.tenant != self._tenant:
            return self._refused(run_id, Refusal.OTHER_TENANT, f"run {run_id} is {run.tenant}'s, not {self._tenant}'s")
        if run.kind is not RunKind.MEMBERSHIP:
            return self._refused(run_id, Refusal.NOT_MEMBERSHIP, f"run {run_id} is a {run.kind} run, not membership")
        if run.outcome is not RunOutcome.BLOCKED:
            return self._refused(run_id, Refusal.NOT_BLOCKED, _not_blocked(run))
        later = self._ledger.runs(limit=1, tenant=self._tenant, kind=RunKind.MEMBERSHIP)
        if later and later[0].id > run_id:
            return self._refused(
                run_id,
                Refusal.SUPERSEDED,
                f"run {run_id}'s plan is stale: membership run {later[0].id} came after it "
                f"({later[0].outcome}); decide on the latest blocked plan, or sync again",
            )
        return Success(run)

    def _lost_race(self, run_id: int) -> Failure[DecisionRefused]:
        """``decide_blocked`` refused a run that was decidable a moment ago: say what happened meanwhile."""
        match self._decidable(run_id):
            case Failure(refused):
                return Failure(refused)
        return Failure(DecisionRefused(run_id, Refusal.NOT_BLOCKED, f"run {run_id} was decided meanwhile"))

    @staticmethod
    def _refused(run_id: int, refusal: Refusal, message: str) -> Failure[DecisionRefused]:
        return Failure(DecisionRefused(run_id, refusal, message))


def _not_blocked(run: Run) -> str:
    if run.outcome is RunOutcome.REJECTED:
        return f"run {run.id}'s plan was rejected by {run.decided_by}"
    if run.decided_by is not None:
        return f"run {run.id}'s plan was already approved by {run.decided_by} ({run.outcome})"
    return f"run {run.id} was not blocked by the removal guard ({run.outcome}): there is no plan to decide"


class ApproveMembershipPlan(_Decision):
    """Applies exactly the plan a blocked membership run keeps, as ``approved_by`` decided, under that run: each
    planned action is applied in its phase (removals, updates, invites) and replaced in the ledger by its
    result, with the approver; the run records the approver and ends ``succeeded`` or ``partial``. A run whose
    plan may not be decided (see the module) is refused, and nothing is applied."""

    def __init__(
        self, registry: MemberRegistry, ledger: SyncLedger, clock: Clock, tenant: str, concurrency: int = 4
    ) -> None:
        super().__init__(ledger, clock, tenant)
        self._apply = ApplyMembershipActions(registry, clock, concurrency)

    def __call__(
        self, run_id: int, approved_by: str, progress: ProgressCallback | None = None
    ) -> Result[MembershipSyncResult, DecisionRefused]:
        match self._decidable(run_id):
            case Failure(refused):
                return Failure(refused)
            case Success(blocked):
                return self._approve(blocked, approved_by, progress)
        raise AssertionError("unreachable")  # pragma: no cover

    def _approve(
        self, blocked: Run, approved_by: str, progress: ProgressCallback | None
    ) -> Result[MembershipSyncResult, DecisionRefused]:
        planned: list[tuple[int, MembershipAction]] = []
        for position, record in enumerate(self._ledger.actions(blocked.id)):
            if record.result is not ActionResult.PLANNED:
                continue
            try:
                planned.append((position, planned_action(record)))
            except InvalidValue as damaged:
                return self._refused(
                    blocked.id,
                    Refusal.UNREADABLE,
                    f"run {blocked.id}'s action {position + 1} ({record.kind} {record.subject}) cannot be applied: "
                    f"{damaged}; nothing was applied",
                )
        decided = self._ledger.decide_blocked(
            blocked.id, RunOutcome.RUNNING, approved_by, self._clock.now(), f"approved by {approved_by}: applying"
        )
        if decided is None:
            return self._lost_race(blocked.id)
        phases = [[(p, a) for p, a in planned if isinstance(a, kind)] for kind in (Removal, Update, Invite)]
        records = self._apply([[action for _, action in phase] for phase in phases], approved_by=approved_by)
        positions = [position for phase in phases for position, _ in phase]
        failures = keep_applied(records, self._ledger, blocked.id, progress, positions)
        finished = self._ledger.finish_run(
            blocked.id,
            RunOutcome.PARTIAL if failures else RunOutcome.SUCCEEDED,
            self._clock.now(),
            blocked.counts | {"failed": len(failures)},
            f"applied as approved by {approved_by}; it was {blocked.message}",
        )
        return Success(MembershipSyncResult(finished, None, tuple(failures)))


class RejectMembershipPlan(_Decision):
    """Marks a blocked membership run's plan rejected by ``rejected_by``: nothing of it is ever applied. A run
    whose plan may not be decided (see the module) is refused."""

    def __call__(self, run_id: int, rejected_by: str) -> Result[Run, DecisionRefused]:
        match self._decidable(run_id):
            case Failure(refused):
                return Failure(refused)
            case Success(blocked):
                message = f"rejected by {rejected_by}; it was {blocked.message}"
                decided = self._ledger.decide_blocked(
                    run_id, RunOutcome.REJECTED, rejected_by, self._clock.now(), message
                )
                return self._lost_race(run_id) if decided is None else Success(decided)
        raise AssertionError("unreachable")  # pragma: no cover
