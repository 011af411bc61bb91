"""Properties of membership planning over generated reports and memberships."""

import random
from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st
from returns.result import Failure

from adapters.fakes import InMemoryMemberRegistry
from domain.members import Member
from domain.membership_plan import Invite, MembershipAction, MembershipPlan, Removal, Update, plan_membership
from domain.removal_guard import RemovalPolicy
from domain.workers import ReportEntry, Worker
from tests.factories import TODAY, members, report_entries

LENIENT = RemovalPolicy(max_removal_share=1.0, min_report_share=0.0)


def apply(plan: MembershipPlan, registry: InMemoryMemberRegistry) -> set[MembershipAction]:
    """Applies the plan phase by phase; returns the actions the registry refused."""
    refused: set[MembershipAction] = set()
    for action in plan.actions:
        match action:
            case Invite(worker=worker):
                result = registry.invite(worker)
            case Update(member=member, changes=changes):
                result = registry.update(member, changes)
            case Removal(member=member):
                result = registry.remove(member)
        if isinstance(result, Failure):
            refused.add(action)
    return refused


def actions_of(plan: MembershipPlan) -> tuple[object, ...]:
    return (plan.invites, plan.updates, plan.removals, plan.verdict)


def identities(plan: MembershipPlan) -> set[tuple[str | None, str | None, str]]:
    return {(r.wid, r.employee_id, r.field) for r in plan.rejected}


@given(report_entries, members())
def test_planning_again_after_applying_a_plan_leaves_only_what_the_provider_refused(
    entries: Sequence[ReportEntry], current: list[Member]
) -> None:
    registry = InMemoryMemberRegistry(current)
    first = plan_membership(entries, registry.members(), TODAY, LENIENT)
    refused = apply(first, registry)
    second = plan_membership(entries, registry.members(), TODAY, LENIENT)
    assert set(second.actions) <= refused
    if not refused:
        assert second.is_empty


@given(report_entries, members())
def test_no_one_is_both_invited_and_removed(entries: Sequence[ReportEntry], current: list[Member]) -> None:
    """A person is their WID; a member without one is known by employee ID."""
    plan = plan_membership(entries, current, TODAY)
    invited_wids = {i.worker.wid for i in plan.invites}
    invited_numbers = {i.worker.employee_id for i in plan.invites}
    for removal in plan.removals:
        if removal.member.wid is not None:
            assert removal.member.wid not in invited_wids
        else:
            assert removal.member.employee_id not in invited_numbers


@given(report_entries, members(), st.randoms(use_true_random=False))
def test_input_order_does_not_change_the_plan(
    entries: Sequence[ReportEntry], current: list[Member], rnd: random.Random
) -> None:
    shuffled_entries, shuffled_members = list(entries), list(current)
    rnd.shuffle(shuffled_entries)
    rnd.shuffle(shuffled_members)
    plan = plan_membership(entries, current, TODAY)
    again = plan_membership(shuffled_entries, shuffled_members, TODAY)
    assert actions_of(again) == actions_of(plan)
    assert identities(again) == identities(plan)


@given(report_entries, members())
def test_a_worker_with_a_future_termination_date_is_never_removed(
    entries: Sequence[ReportEntry], current: list[Member]
) -> None:
    plan = plan_membership(entries, current, TODAY, LENIENT)
    leaving_later = {
        e.wid
        for e in entries
        if isinstance(e, Worker) and e.termination_date is not None and e.termination_date > TODAY
    }
    assert not {r.member.wid for r in plan.removals} & leaving_later


@given(report_entries, members())
def test_every_rejected_row_identity_protects_its_member(entries: Sequence[ReportEntry], current: list[Member]) -> None:
    plan = plan_membership(entries, current, TODAY, LENIENT)
    protected_wids = {r.wid for r in plan.rejected if r.wid}
    protected_ids = {r.employee_id for r in plan.rejected if r.employee_id}
    for removal in plan.removals:
        if removal.reason == "not in report":
            assert removal.member.wid not in protected_wids
            assert removal.member.employee_id not in protected_ids


@given(report_entries, members())
def test_the_guard_judges_every_removal_whatever_its_reason(
    entries: Sequence[ReportEntry], current: list[Member]
) -> None:
    plan = plan_membership(entries, current, TODAY)
    limit = 0.10 * plan.current_members
    if len(plan.removals) > limit or (plan.removals and plan.report_rows < 0.5 * plan.current_members):
        assert plan.blocked
    else:
        assert not plan.blocked
