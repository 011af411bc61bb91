"""Membership sync: read the worker report and the provider's members, plan, and apply the plan."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from returns.result import Failure, Result, Success

from app.observability.context import carry_context
from app.use_cases.gc_pause import gc_paused
from domain.errors import PortUnavailable
from domain.members import Member
from domain.membership_plan import Invite, MembershipAction, MembershipPlan, Removal, Update, plan_membership
from domain.membership_record import ACTION_KINDS, action_detail, planned_record, rejected_row_record, subject_of
from domain.ports.clock import Clock
from domain.ports.member_registry import MemberRegistry
from domain.ports.sync_ledger import SyncLedger
from domain.ports.worker_directory import WorkerDirectory
from domain.removal_guard import RemovalPolicy
from domain.runs import ActionRecord, ActionResult, Run, RunKind, RunOutcome

_LEDGER_BATCH = 200


class PlanMembership:
    """Gathers the report and the members, and plans. Raises ``PortUnavailable`` when either cannot be read
    whole: a plan from part of a report would remove the workers it did not see."""

    def __init__(
        self, directory: WorkerDirectory, registry: MemberRegistry, clock: Clock, zone: ZoneInfo, policy: RemovalPolicy
    ) -> None:
        self._directory = directory
        self._registry = registry
        self._clock = clock
        self._zone = zone
        self._policy = policy

    def __call__(self) -> MembershipPlan:
        today = self._clock.now().astimezone(self._zone).date()
        entries = list(self._directory.entries())
        members = list(self._registry.members())
        with gc_paused():
            return plan_membership(entries, members, today, self._policy)


@dataclass(frozen=True, slots=True)
class MembershipSyncResult:
    run: Run
    plan: MembershipPlan | None
    failures: tuple[ActionRecord, ...] = ()

    @property
    def outcome(self) -> RunOutcome:
        return self.run.outcome


ProgressCallback = Callable[[ActionRecord], None]


class ApplyMembershipActions:
    """Applies membership actions through the provider, phase by phase (each phase finished before the next
    starts), ``concurrency`` at a time, and yields each one's record as it is made."""

    def __init__(self, registry: MemberRegistry, clock: Clock, concurrency: int) -> None:
        self._registry = registry
        self._clock = clock
        self._concurrency = concurrency

    def __call__(
        self, phases: Sequence[Sequence[MembershipAction]], approved_by: str | None = None
    ) -> Iterator[ActionRecord]:
        with ThreadPoolExecutor(self._concurrency, "membership", initializer=carry_context()) as pool:
            for phase in phases:
                yield from pool.map(lambda action: self._apply_one(action, approved_by), phase)

    def _apply_one(self, action: MembershipAction, approved_by: str | None) -> ActionRecord:
        result: Result[Member, str]
        match action:
            case Invite(worker=worker):
                result = self._registry.invite(worker)
            case Update(member=member, changes=changes):
                result = self._registry.update(member, changes)
            case Removal(member=member):
                result = self._registry.remove(member)
        kind = ACTION_KINDS[type(action)]
        detail = None if approved_by is None else action_detail(action)
        record = ActionRecord(
            kind, subject_of(action), action.why, self._clock.now(), ActionResult.APPLIED, None, detail, approved_by
        )
        match result:
            case Success(_):
                return record
            case Failure(error):
                return replace(record, result=ActionResult.FAILED, error=str(error))
        raise AssertionError(f"unreachable: {result!r}")  # pragma: no cover


class SyncMembership:
    """Plans and applies membership changes, recording the run and each action in the ledger, and each rejected
    report row (its number and field) after them.

    A blocked plan is not applied unless ``force`` is set: the run ends ``blocked`` and keeps the plan, each
    action ``planned`` with its reason and the action as data, for an operator to approve
    (``ApproveMembershipPlan``) or reject. One failed action never stops the others: the run ends ``partial``
    and lists the failures. If the report or member list cannot be read, the run ends ``failed`` and nothing is
    applied."""

    def __init__(
        self,
        planner: PlanMembership,
        registry: MemberRegistry,
        ledger: SyncLedger,
        clock: Clock,
        tenant: str,
        concurrency: int = 4,
    ) -> None:
        self._planner = planner
        self._ledger = ledger
        self._clock = clock
        self._tenant = tenant
        self._apply = ApplyMembershipActions(registry, clock, concurrency)

    def __call__(self, force: bool = False, progress: ProgressCallback | None = None) -> MembershipSyncResult:
        run = self._ledger.start_run(RunKind.MEMBERSHIP, self._tenant, self._clock.now())
        try:
            plan = self._planner()
        except PortUnavailable as problem:
            finished = self._ledger.finish_run(run.id, RunOutcome.FAILED, self._clock.now(), {}, str(problem))
            return MembershipSyncResult(finished, None)
        if plan.blocked and not force:
            now = self._clock.now()
            kept = [planned_record(action, now) for action in plan.actions]
            _record(self._ledger, run.id, [*kept, *(rejected_row_record(row, now) for row in plan.rejected)])
            message = "blocked by the removal guard: " + "; ".join(plan.verdict.reasons)
            finished = self._ledger.finish_run(run.id, RunOutcome.BLOCKED, self._clock.now(), _counts(plan), message)
            return MembershipSyncResult(finished, plan)

        failures = keep_applied(self._apply(plan.phases), self._ledger, run.id, progress)
        now = self._clock.now()
        _record(self._ledger, run.id, [rejected_row_record(row, now) for row in plan.rejected])
        counts = _counts(plan) | {"failed": len(failures)}
        outcome = RunOutcome.PARTIAL if failures else RunOutcome.SUCCEEDED
        forced = "applied with --force despite: " + "; ".join(plan.verdict.reasons) if plan.blocked else ""
        finished = self._ledger.finish_run(run.id, outcome, self._clock.now(), counts, forced)
        return MembershipSyncResult(finished, plan, tuple(failures))


def keep_applied(
    records: Iterable[ActionRecord],
    ledger: SyncLedger,
    run_id: int,
    progress: ProgressCallback | None,
    positions: Sequence[int] | None = None,
) -> list[ActionRecord]:
    """Keeps each record in the ledger as it comes, a batch at a time: appended to the run, or, given
    ``positions``, each in place of the planned action at its position (records and positions in one order).
    Returns the failures."""
    failures: list[ActionRecord] = []
    batch: list[ActionRecord] = []
    written = 0

    def flush() -> None:
        nonlocal written
        if positions is None:
            ledger.record_actions(run_id, batch)
        else:
            ledger.replace_actions(run_id, dict(zip(positions[written : written + len(batch)], batch, strict=True)))
        written += len(batch)
        batch.clear()

    for record in records:
        batch.append(record)
        if record.result is ActionResult.FAILED:
            failures.append(record)
        if progress is not None:
            progress(record)
        if len(batch) >= _LEDGER_BATCH:
            flush()
    if batch:
        flush()
    return failures


def _record(ledger: SyncLedger, run_id: int, records: Sequence[ActionRecord]) -> None:
    for start in range(0, len(records), _LEDGER_BATCH):
        ledger.record_actions(run_id, records[start : start + _LEDGER_BATCH])


def _counts(plan: MembershipPlan) -> dict[str, int]:
    counted = Counter(ACTION_KINDS[type(a)] for a in plan.actions)
    return {
        "invite": counted["invite"],
        "update": counted["update"],
        "remove": counted["remove"],
        "rejected": len(plan.rejected),
        "report_rows": plan.report_rows,
        "current_members": plan.current_members,
    }
