"""Approving or rejecting a membership plan the removal guard blocked (``ApproveMembershipPlan``,
``RejectMembershipPlan``), on fakes."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from returns.result import Failure, Result, Success

from adapters.fakes import FixedClock, InMemoryMemberRegistry, InMemorySyncLedger, InMemoryWorkerDirectory
from app.use_cases.membership import MembershipSyncResult, PlanMembership, SyncMembership
from app.use_cases.membership_approval import (
    ApproveMembershipPlan,
    DecisionRefused,
    Refusal,
    RejectMembershipPlan,
)
from domain.members import Member
from domain.removal_guard import RemovalPolicy
from domain.runs import ActionResult, Run, RunKind, RunOutcome
from domain.workers import ReportEntry, Worker
from tests.factories import a_member_for, a_worker, members, report_entries
from tests.unit.app.test_membership_sync import NOON_PACIFIC, PACIFIC


class World:
    """One tenant's membership sync and its approval and rejection, on fakes sharing one ledger."""

    def __init__(
        self,
        entries: Sequence[ReportEntry],
        current: Sequence[Member],
        refuse: Sequence[str] = (),
        ledger: InMemorySyncLedger | None = None,
        tenant: str = "acme",
    ) -> None:
        self.directory = InMemoryWorkerDirectory(entries)
        self.registry = InMemoryMemberRegistry(current, refuse=refuse)
        self.ledger = ledger or InMemorySyncLedger()
        self.clock = FixedClock(NOON_PACIFIC)
        plan = PlanMembership(self.directory, self.registry, self.clock, PACIFIC, RemovalPolicy())
        self.sync = SyncMembership(plan, self.registry, self.ledger, self.clock, tenant, concurrency=2)
        self.approve = ApproveMembershipPlan(self.registry, self.ledger, self.clock, tenant, concurrency=2)
        self.reject = RejectMembershipPlan(self.ledger, self.clock, tenant)

    def blocked_run(self) -> Run:
        result = self.sync()
        assert result.outcome is RunOutcome.BLOCKED, result.run.message
        return result.run


def truncated(kept: int = 2, total: int = 10) -> tuple[list[Worker], World]:
    """A report cut short: ``kept`` of ``total`` workers; the rest look gone, and the guard blocks the plan."""
    workers = [a_worker() for _ in range(total)]
    return workers, World(workers[:kept], [a_member_for(w) for w in workers])


def approved(outcome: Result[MembershipSyncResult, DecisionRefused]) -> MembershipSyncResult:
    assert isinstance(outcome, Success), f"the approval was refused: {outcome}"
    result: MembershipSyncResult = outcome.unwrap()
    return result


def refused(outcome: Result[object, DecisionRefused]) -> DecisionRefused:
    assert isinstance(outcome, Failure), f"the decision was not refused: {outcome}"
    refusal: DecisionRefused = outcome.failure()
    return refusal


def seated(world: World) -> set[str]:
    return {m.id for m in world.registry.members() if m.has_access}


def test_approving_applies_the_blocked_plan_and_records_who_approved_it_on_the_run_and_each_action() -> None:
    workers, world = truncated()
    run = world.blocked_run()
    world.clock.advance(timedelta(hours=1))

    result = approved(world.approve(run.id, "ada"))

    assert result.outcome is RunOutcome.SUCCEEDED
    assert result.run.decided_by == "ada"
    assert "approved by ada" in result.run.message
    assert "blocked by the removal guard" in result.run.message
    assert seated(world) == {f"mem_{w.employee_id}" for w in workers[:2]}
    actions = world.ledger.actions(run.id)
    assert len(actions) == 8
    assert {(a.kind, a.result, a.approved_by) for a in actions} == {("remove", ActionResult.APPLIED, "ada")}
    assert all(a.at == NOON_PACIFIC + timedelta(hours=1) for a in actions)


def test_approving_applies_exactly_the_plan_kept_not_a_fresh_one() -> None:
    workers, world = truncated()
    run = world.blocked_run()
    newcomer = a_worker()
    world.directory.rows = [*workers, newcomer]  # the report is whole again, and has grown

    result = approved(world.approve(run.id, "ada"))

    assert result.run.counts["remove"] == 8
    assert newcomer.employee_id not in {m.employee_id for m in world.registry.members()}
    assert seated(world) == {f"mem_{w.employee_id}" for w in workers[:2]}


def test_an_approved_action_the_provider_refuses_fails_alone_and_the_run_is_partial() -> None:
    workers = [a_worker() for _ in range(10)]
    world = World(workers[:2], [a_member_for(w) for w in workers], refuse=[workers[5].employee_id])
    run = world.blocked_run()

    result = approved(world.approve(run.id, "ada"))

    assert result.outcome is RunOutcome.PARTIAL
    refused_id = workers[5].employee_id
    assert [f.subject for f in result.failures] == [f"member mem_{refused_id} (employee {refused_id})"]
    assert result.run.counts["failed"] == 1
    failed = [a for a in world.ledger.actions(run.id) if a.result is ActionResult.FAILED]
    assert [(a.approved_by, a.error is not None) for a in failed] == [("ada", True)]


def test_a_plan_is_approved_once() -> None:
    _, world = truncated()
    run = world.blocked_run()
    approved(world.approve(run.id, "ada"))

    again = refused(world.approve(run.id, "bob"))

    assert again.refusal is Refusal.NOT_BLOCKED
    assert "already approved by ada" in again.message


def test_two_operators_approving_at_once_apply_the_plan_once() -> None:
    _, world = truncated(kept=2, total=40)
    run = world.blocked_run()
    outcomes: list[Result[MembershipSyncResult, DecisionRefused]] = []
    start = threading.Barrier(2)

    def approve(by: str) -> None:
        start.wait()
        outcomes.append(world.approve(run.id, by))

    threads = [threading.Thread(target=approve, args=(by,)) for by in ("ada", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(isinstance(o, Success) for o in outcomes) == [False, True]
    actions = world.ledger.actions(run.id)
    assert len(actions) == 38
    assert all(a.result is ActionResult.APPLIED for a in actions)


def test_rejecting_marks_the_plan_rejected_applies_nothing_and_forbids_approval() -> None:
    _, world = truncated()
    run = world.blocked_run()
    before = seated(world)

    match world.reject(run.id, "ada"):
        case Success(rejected):
            assert (rejected.outcome, rejected.decided_by) == (RunOutcome.REJECTED, "ada")
            assert rejected.message.startswith("rejected by ada")
        case Failure(refusal):
            raise AssertionError(refusal)

    assert seated(world) == before
    assert {a.result for a in world.ledger.actions(run.id)} == {ActionResult.PLANNED}
    late = refused(world.approve(run.id, "bob"))
    assert late.refusal is Refusal.NOT_BLOCKED
    assert "rejected by ada" in late.message


def test_a_plan_is_stale_once_a_later_membership_run_exists() -> None:
    _, world = truncated()
    first = world.blocked_run()
    second = world.blocked_run()

    stale = refused(world.approve(first.id, "ada"))

    assert stale.refusal is Refusal.SUPERSEDED
    assert f"membership run {second.id} came after it" in stale.message
    assert refused(world.reject(first.id, "ada")).refusal is Refusal.SUPERSEDED
    assert approved(world.approve(second.id, "ada")).outcome is RunOutcome.SUCCEEDED


def test_a_later_run_of_another_kind_does_not_make_a_plan_stale() -> None:
    _, world = truncated()
    run = world.blocked_run()
    world.ledger.start_run(RunKind.TRANSCRIPTS, "acme", NOON_PACIFIC)

    assert approved(world.approve(run.id, "ada")).outcome is RunOutcome.SUCCEEDED


def test_runs_that_hold_no_blocked_plan_are_refused_by_name() -> None:
    workers = [a_worker() for _ in range(3)]
    world = World(workers, [])
    succeeded = world.sync().run
    transcripts = world.ledger.start_run(RunKind.TRANSCRIPTS, "acme", NOON_PACIFIC)

    assert refused(world.approve(9999, "ada")).refusal is Refusal.UNKNOWN_RUN
    assert refused(world.approve(transcripts.id, "ada")).refusal is Refusal.NOT_MEMBERSHIP
    not_blocked = refused(world.approve(succeeded.id, "ada"))
    assert not_blocked.refusal is Refusal.NOT_BLOCKED
    assert "was not blocked" in not_blocked.message


def test_another_tenants_run_is_refused() -> None:
    workers = [a_worker() for _ in range(10)]
    globex = World(workers[:2], [a_member_for(w) for w in workers], tenant="globex")
    acme = World([], [], ledger=globex.ledger, tenant="acme")
    globex_run = globex.blocked_run()

    refusal = refused(acme.approve(globex_run.id, "ada"))

    assert refusal.refusal is Refusal.OTHER_TENANT
    assert refusal.message == f"run {globex_run.id} is globex's, not acme's"


def test_a_damaged_plan_is_refused_naming_the_action_and_field_and_nothing_is_applied() -> None:
    _, world = truncated()
    run = world.blocked_run()
    kept = world.ledger.actions(run.id)
    assert kept[3].detail is not None
    member = dict(kept[3].detail["member"])  # type: ignore[call-overload]
    del member["id"]
    world.ledger.replace_actions(run.id, {3: replace(kept[3], detail={**kept[3].detail, "member": member})})
    before = seated(world)

    refusal = refused(world.approve(run.id, "ada"))

    assert refusal.refusal is Refusal.UNREADABLE
    assert "action 4" in refusal.message
    assert "detail.member.id" in refusal.message
    assert seated(world) == before
    still = world.ledger.run(run.id)
    assert still is not None
    assert still.outcome is RunOutcome.BLOCKED


@settings(max_examples=60)
@given(report_entries, members())
def test_approving_a_blocked_plan_does_what_forcing_it_then_would_have_done(
    entries: Sequence[ReportEntry], current: list[Member]
) -> None:
    approving, forcing = World(entries, current), World(entries, current)
    result = approving.sync()
    if result.outcome is not RunOutcome.BLOCKED:
        return
    approving.directory.rows = []  # whatever the report says later, the approved plan is the one kept

    approved(approving.approve(result.run.id, "ada"))
    forcing.sync(force=True)

    assert list(approving.registry.members()) == list(forcing.registry.members())
