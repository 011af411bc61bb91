from dataclasses import replace
from datetime import timedelta

from domain.members import Member, MemberStatus
from domain.membership_plan import FieldChange, RemovalReason, plan_membership
from domain.removal_guard import RemovalPolicy
from domain.workers import MalformedRow
from tests.factories import TODAY, a_member_for, a_worker

LENIENT = RemovalPolicy(max_removal_share=1.0, min_report_share=0.0)


def test_invites_an_active_worker_who_has_no_member() -> None:
    worker = a_worker()
    plan = plan_membership([worker], [], TODAY)
    assert [i.worker for i in plan.invites] == [worker]
    assert not plan.removals
    assert not plan.updates


def test_removes_a_member_whose_termination_date_has_passed() -> None:
    worker = a_worker(termination_date=TODAY - timedelta(days=1))
    member = a_member_for(worker)
    plan = plan_membership([worker], [member], TODAY, LENIENT)
    assert [(r.member, r.reason) for r in plan.removals] == [(member, RemovalReason.TERMINATED)]


def test_removes_a_member_whose_termination_date_is_today() -> None:
    worker = a_worker(termination_date=TODAY)
    plan = plan_membership([worker], [a_member_for(worker)], TODAY, LENIENT)
    assert len(plan.removals) == 1


def test_a_future_termination_date_keeps_access_until_that_date() -> None:
    worker = a_worker(termination_date=TODAY + timedelta(days=14))
    member = a_member_for(worker)
    assert plan_membership([worker], [member], TODAY).is_empty
    assert plan_membership([worker], [member], TODAY + timedelta(days=14), LENIENT).removals


def test_a_worker_terminated_before_ever_joining_is_not_invited() -> None:
    plan = plan_membership([a_worker(termination_date=TODAY - timedelta(days=3))], [], TODAY)
    assert plan.is_empty


def test_removes_a_member_who_is_no_longer_in_the_report() -> None:
    stays, gone = a_worker(), a_worker()
    plan = plan_membership([stays], [a_member_for(stays), a_member_for(gone)], TODAY, LENIENT)
    assert [(r.member.employee_id, r.reason) for r in plan.removals] == [
        (gone.employee_id, RemovalReason.NOT_IN_REPORT)
    ]


def test_updates_changed_names_and_email() -> None:
    worker = a_worker(last_name="Byron", email="ada@example.com")
    member = a_member_for(worker, last_name="Lovelace", email="old@example.com")
    plan = plan_membership([worker], [member], TODAY)
    assert [u.changes for u in plan.updates] == [
        (FieldChange("last_name", "Lovelace", "Byron"), FieldChange("email", "old@example.com", "ada@example.com"))
    ]


def test_a_report_without_email_never_clears_the_members_email() -> None:
    worker = a_worker(email=None)
    assert plan_membership([worker], [a_member_for(worker, email="kept@example.com")], TODAY).is_empty


def test_matches_by_wid_before_employee_id() -> None:
    worker = a_worker(7)
    by_wid = a_member_for(worker, member_id="mem_a", employee_id="OLD-7")
    plan = plan_membership([worker], [by_wid], TODAY)
    assert [(u.member.id, u.changes) for u in plan.updates] == [
        ("mem_a", (FieldChange("employee_id", "OLD-7", worker.employee_id),))
    ]


def test_falls_back_to_employee_id_and_updates_the_wid() -> None:
    worker = a_worker(8)
    member = a_member_for(worker, wid=None)
    plan = plan_membership([worker], [member], TODAY)
    assert [u.changes for u in plan.updates] == [(FieldChange("wid", None, worker.wid),)]
    assert not plan.invites


def test_a_rehired_worker_is_invited_again() -> None:
    worker = a_worker()
    removed = a_member_for(worker, status=MemberStatus.REMOVED)
    plan = plan_membership([worker], [removed], TODAY)
    assert [i.worker for i in plan.invites] == [worker]


def test_rows_sharing_a_wid_are_all_rejected_and_their_member_is_left_alone() -> None:
    first = a_worker(1)
    second = a_worker(2, wid=first.wid)
    plan = plan_membership([first, second], [a_member_for(first)], TODAY, LENIENT)
    assert plan.is_empty
    assert [(r.row_number, r.field) for r in plan.rejected] == [(1, "wid"), (2, "wid")]
    assert "also on row 2" in plan.rejected[0].reason


def test_rows_sharing_an_employee_id_are_rejected() -> None:
    first = a_worker(1)
    plan = plan_membership([first, a_worker(2, employee_id=first.employee_id)], [], TODAY)
    assert not plan.invites
    assert {r.field for r in plan.rejected} == {"employee_id"}


def test_a_row_rejected_for_bad_data_never_causes_a_removal() -> None:
    worker = a_worker()
    bad = MalformedRow(1, "last_name", "is missing", worker.wid, worker.employee_id)
    plan = plan_membership([bad], [a_member_for(worker)], TODAY, LENIENT)
    assert plan.is_empty
    assert plan.rejected == (bad,)


def test_an_employee_id_held_by_a_member_another_row_matches_by_wid_is_free_for_its_new_row() -> None:
    member_worker = a_worker(1)
    member = a_member_for(member_worker)
    rekeyed = replace(member_worker, employee_id="E-NEW")
    takes_the_old_number = a_worker(2, employee_id=member_worker.employee_id)
    plan = plan_membership([rekeyed, takes_the_old_number], [member], TODAY)
    assert [u.changes for u in plan.updates] == [(FieldChange("employee_id", member_worker.employee_id, "E-NEW"),)]
    assert [i.worker for i in plan.invites] == [takes_the_old_number]
    assert not plan.rejected


def test_members_without_workday_identifiers_are_never_touched() -> None:
    by_hand = Member(id="mem_manual", status=MemberStatus.ACTIVE, first_name="Hand", last_name="Made")
    assert plan_membership([], [by_hand], TODAY).is_empty


def test_the_guard_blocks_an_empty_report_that_would_remove_everyone() -> None:
    members = [a_member_for(a_worker()) for _ in range(3)]
    plan = plan_membership([], members, TODAY)
    assert plan.blocked
    assert len(plan.removals) == 3
    assert "empty" in plan.verdict.reasons[0]


def test_the_guard_blocks_a_report_less_than_half_the_membership() -> None:
    workers = [a_worker() for _ in range(100)]
    members = [a_member_for(w) for w in workers]
    plan = plan_membership(workers[:49], members, TODAY, RemovalPolicy(max_removal_share=1.0))
    assert plan.blocked
    assert "truncated" in plan.verdict.reasons[0]


def test_the_guard_blocks_more_than_ten_percent_removals_by_default() -> None:
    workers = [a_worker() for _ in range(100)]
    members = [a_member_for(w) for w in workers]
    assert not plan_membership(workers[10:], members, TODAY).blocked
    assert plan_membership(workers[11:], members, TODAY).blocked


def test_the_guard_does_not_block_a_plan_without_removals() -> None:
    assert not plan_membership([], [], TODAY).blocked
    assert not plan_membership([a_worker() for _ in range(5)], [], TODAY).blocked


def test_a_terminated_worker_known_to_the_provider_twice_loses_both_seats() -> None:
    worker = a_worker(termination_date=TODAY - timedelta(days=1))
    by_wid = a_member_for(worker, member_id="mem_a", employee_id=None)
    by_number = a_member_for(worker, member_id="mem_b", wid=None)
    plan = plan_membership([worker], [by_wid, by_number], TODAY, LENIENT)
    assert sorted(r.member.id for r in plan.removals) == ["mem_a", "mem_b"]


def test_a_member_whose_wid_is_on_the_report_is_never_matched_to_another_row_by_employee_id() -> None:
    owner, other = a_worker(1), a_worker(2)
    member = a_member_for(owner, employee_id=other.employee_id)
    plan = plan_membership([owner, other], [member], TODAY)
    assert [u.member.id for u in plan.updates] == [member.id]
    assert [i.worker for i in plan.invites] == [other]
