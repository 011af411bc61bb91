"""Membership sync: read the worker report and the provider's members, plan, and apply the plan."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from returns.result import Failure, Result, Success

from app.use_cases.gc_pause import gc_paused
from domain.errors import PortUnavailable
from domain.members import Member
from domain.membership_plan import Invite, MembershipAction, MembershipPlan, Removal, Update, plan_membership
from domain.ports.clock import Clock
from domain.ports.member_registry import MemberRegistry
from domain.ports.sync_ledger import SyncLedger
from domain.ports.worker_directory import WorkerDirectory
from domain.removal_guard import RemovalPolicy
from domain.runs import ActionRecord, ActionResult, Run, RunKind, RunOutcome

ACTION_KINDS = {Invite: "invite", Update: "update", Removal: "remove"}
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


class SyncMembership:
    """Plans and applies membership changes, recording the run and each action in the ledger.

    A blocked plan is not applied unless ``force`` is set. One failed action never stops the others: the
    run ends ``partial`` and lists the failures. If the report or member list cannot be read, the run ends
    ``failed`` and nothing is applied."""

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
        self._registry = registry
        self._ledger = ledger
        self._clock = clock
        self._tenant = tenant
        self._concurrency = concurrency

    def __call__(self, force: bool = False, progress: ProgressCallback | None = None) -> MembershipSyncResult:
        run = self._ledger.start_run(RunKind.MEMBERSHIP, self._tenant, self._clock.now())
        try:
            plan = self._planner()
        except PortUnavailable as problem:
            finished = self._ledger.finish_run(run.id, RunOutcome.FAILED, self._clock.now(), {}, str(problem))
            return MembershipSyncResult(finished, None)
        if plan.blocked and not force:
            message = "blocked by the removal guard: " + "; ".join(plan.verdict.reasons)
            finished = self._ledger.finish_run(run.id, RunOutcome.BLOCKED, self._clock.now(), _counts(plan), message)
            return MembershipSyncResult(finished, plan)

        failures: list[ActionRecord] = []
        pending: list[ActionRecord] = []
        for record in self._apply(plan.phases):
            pending.append(record)
            if record.result is ActionResult.FAILED:
                failures.append(record)
            if progress is not None:
                progress(record)
            if len(pending) >= _LEDGER_BATCH:
                self._ledger.record_actions(run.id, pending)
                pending = []
        self._ledger.record_actions(run.id, pending)

        counts = _counts(plan) | {"failed": len(failures)}
        outcome = RunOutcome.PARTIAL if failures else RunOutcome.SUCCEEDED
        forced = "applied with --force despite: " + "; ".join(plan.verdict.reasons) if plan.blocked else ""
        finished = self._ledger.finish_run(run.id, outcome, self._clock.now(), counts, forced)
        return MembershipSyncResult(finished, plan, tuple(failures))

    def _apply(self, phases: tuple[tuple[MembershipAction, ...], ...]) -> Iterator[ActionRecord]:
        with ThreadPoolExecutor(max_workers=self._concurrency, thread_name_prefix="membership") as pool:
            for phase in phases:
                yield from pool.map(self._apply_one, phase)

    def _apply_one(self, action: MembershipAction) -> ActionRecord:
        result: Result[Member, str]
        match action:
            case Invite(worker=worker):
                subject = f"employee {worker.employee_id} ({worker.first_name} {worker.last_name})"
                result = self._registry.invite(worker)
            case Update(member=member, changes=changes):
                subject = f"member {member.id} (employee {member.employee_id})"
                result = self._registry.update(member, changes)
            case Removal(member=member):
                subject = f"member {member.id} (employee {member.employee_id})"
                result = self._registry.remove(member)
        kind = ACTION_KINDS[type(action)]
        at = self._clock.now()
        match result:
            case Success(_):
                return ActionRecord(kind, subject, action.why, at, ActionResult.APPLIED)
            case Failure(error):
                return ActionRecord(kind, subject, action.why, at, ActionResult.FAILED, str(error))
        raise AssertionError(f"unreachable: {result!r}")  # pragma: no cover


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
