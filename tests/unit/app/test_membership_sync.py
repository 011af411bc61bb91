from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given

from adapters.fakes import FixedClock, InMemoryMemberRegistry, InMemorySyncLedger, InMemoryWorkerDirectory
from app.use_cases.membership import PlanMembership, SyncMembership
from domain.members import Member, MemberStatus
from domain.removal_guard import RemovalPolicy
from domain.runs import ActionRecord, ActionResult, RunOutcome
from domain.workers import MalformedRow, ReportEntry
from tests.factories import TODAY, a_member_for, a_worker, members, report_entries, wid_for

PACIFIC = ZoneInfo("America/Los_Angeles")
NOON_PACIFIC = datetime(TODAY.year, TODAY.month, TODAY.day, 20, 0, tzinfo=UTC)


class World:
    """A sync wired to fakes, as the container wires it to real adapters."""

    def __init__(
        self,
        entries: Sequence[ReportEntry],
        current: Sequence[Member],
        policy: RemovalPolicy | None = None,
        refuse: Sequence[str] = (),
        now: datetime = NOON_PACIFIC,
    ) -> None:
        self.directory = InMemoryWorkerDirectory(entries)
        self.registry = InMemoryMemberRegistry(current, refuse=refuse)
        self.ledger = InMemorySyncLedger()
        self.clock = FixedClock(now)
        self.plan = PlanMembership(self.directory, self.registry, self.clock, PACIFIC, policy or RemovalPolicy())
        self.sync = SyncMembership(self.plan, self.registry, self.ledger, self.clock, "acme", concurrency=2)


def test_sync_applies_the_plan_and_records_the_run_and_each_action() -> None:
    stays, renamed, gone, new = a_worker(), a_worker(), a_worker(), a_worker()
    terminated = a_worker(termination_date=TODAY - timedelta(days=2))
    current = [a_member_for(w) for w in (stays, gone, terminated)] + [a_member_for(renamed, last_name="Old")]
    world = World([stays, renamed, new, terminated], current, RemovalPolicy(max_removal_share=1.0))

    result = world.sync()

    assert result.outcome is RunOutcome.SUCCEEDED
    assert result.run.counts == {
        "invite": 1,
        "update": 1,
        "remove": 2,
        "rejected": 0,
        "report_rows": 4,
        "current_members": 4,
        "failed": 0,
    }
    statuses = {m.employee_id: m.status for m in world.registry.members()}
    assert statuses[new.employee_id] is MemberStatus.INVITED
    assert statuses[gone.employee_id] is MemberStatus.REMOVED
    assert statuses[terminated.employee_id] is MemberStatus.REMOVED
    recorded = world.ledger.actions(result.run.id)
    assert sorted(a.kind for a in recorded) == ["invite", "remove", "remove", "update"]
    assert all(a.result is ActionResult.APPLIED for a in recorded)
    assert world.plan().is_empty


def test_today_is_the_tenants_local_date() -> None:
    tomorrow_in_utc = a_worker(termination_date=TODAY + timedelta(days=1))
    late_evening_pacific = NOON_PACIFIC + timedelta(hours=9)
    world = World([tomorrow_in_utc], [a_member_for(tomorrow_in_utc)], now=late_evening_pacific)
    assert world.plan().is_empty


def test_a_blocked_plan_is_recorded_and_not_applied() -> None:
    current = [a_member_for(a_worker()) for _ in range(5)]
    world = World([], current)

    result = world.sync()

    assert result.outcome is RunOutcome.BLOCKED
    assert "empty" in result.run.message
    assert list(world.registry.members()) == sorted(current, key=lambda m: m.id)
    kept = world.ledger.actions(result.run.id)
    assert [(a.kind, a.why, a.result) for a in kept] == [
        ("remove", "no longer in the report", ActionResult.PLANNED)
    ] * 5


def test_force_applies_a_blocked_plan_and_says_so() -> None:
    world = World([], [a_member_for(a_worker()) for _ in range(5)])
    result = world.sync(force=True)
    assert result.outcome is RunOutcome.SUCCEEDED
    assert "--force" in result.run.message
    assert all(not m.has_access for m in world.registry.members())


def test_an_unreadable_report_fails_the_run_and_plans_nothing() -> None:
    workers = [a_worker() for _ in range(10)]
    world = World(workers, [a_member_for(w) for w in workers])
    world.directory.fail_after = 3

    result = world.sync(force=True)

    assert result.outcome is RunOutcome.FAILED
    assert "cut short after 3 rows" in result.run.message
    assert all(m.has_access for m in world.registry.members())


def test_one_refused_action_does_not_stop_the_others() -> None:
    refused, fine = a_worker(), a_worker()
    world = World([refused, fine], [], refuse=[refused.employee_id])

    result = world.sync()

    assert result.outcome is RunOutcome.PARTIAL
    assert [f.subject for f in result.failures] == [
        f"employee {refused.employee_id} ({refused.first_name} {refused.last_name})"
    ]
    assert result.failures[0].error is not None
    assert refused.employee_id in result.failures[0].error
    assert [m.employee_id for m in world.registry.members()] == [fine.employee_id]
    assert result.run.counts["failed"] == 1


def test_progress_is_reported_for_every_action() -> None:
    world = World([a_worker() for _ in range(7)], [])
    seen: list[ActionRecord] = []
    world.sync(progress=seen.append)
    assert len(seen) == 7


@given(report_entries, members())
def test_a_blocked_plan_changes_nothing(entries: Sequence[ReportEntry], current: list[Member]) -> None:
    world = World(entries, current)
    before = list(world.registry.members())
    result = world.sync()
    if result.outcome is RunOutcome.BLOCKED:
        assert result.plan is not None
        assert list(world.registry.members()) == before
        kept = world.ledger.actions(result.run.id)
        assert [a.result for a in kept] == [ActionResult.PLANNED] * len(result.plan.actions) + [
            ActionResult.REJECTED
        ] * len(result.plan.rejected)
    else:
        assert result.plan is not None
        assert not result.plan.blocked


def test_rejected_report_rows_are_recorded_with_their_row_and_field() -> None:
    good = a_worker()
    bad = MalformedRow(2, "termination_date", "'31/02/2026' is not a date", wid=wid_for(77), employee_id="E77")
    world = World([good, bad], [])

    result = world.sync()

    rejected = [a for a in world.ledger.actions(result.run.id) if a.result is ActionResult.REJECTED]
    assert [(a.kind, a.subject, a.why) for a in rejected] == [
        ("reject", "row 2", "termination_date: '31/02/2026' is not a date")
    ]
    assert rejected[0].detail == {
        "row": 2,
        "field": "termination_date",
        "reason": "'31/02/2026' is not a date",
        "wid": wid_for(77),
        "employee_id": "E77",
    }
    assert result.run.counts["rejected"] == 1
