from __future__ import annotations

import re
from collections import Counter
from itertools import islice

from returns.result import Failure, Success

from domain.members import Member, MemberStatus
from domain.membership_plan import plan_membership
from domain.workers import parse_worker
from sandbox import SandboxConfig
from sandbox.population import BAD_KINDS, RowKind, initial_members, report_rows, worker_at

CONFIG = SandboxConfig()


def test_a_worker_is_a_pure_function_of_seed_and_index() -> None:
    assert worker_at(CONFIG, 1234) == worker_at(SandboxConfig(workers=10), 1234)
    assert worker_at(CONFIG, 1234) != worker_at(SandboxConfig(seed=8), 1234)
    assert list(islice(report_rows(CONFIG), 50)) == list(islice(report_rows(CONFIG), 50))


def test_the_default_population_holds_every_kind_of_row() -> None:
    kinds = Counter(worker_at(CONFIG, i).kind for i in range(CONFIG.workers))
    assert set(kinds) == set(RowKind)
    assert all(kinds[kind] == 2 for kind in BAD_KINDS)  # 0.2% of 5,000, split evenly
    assert 0.9 < kinds[RowKind.ACTIVE] / CONFIG.workers < 0.97


def test_rows_use_canonical_fields_and_workday_date_forms() -> None:
    rows = list(report_rows(CONFIG))
    assert all(
        set(row) == {"wid", "first_name", "last_name", "employee_id", "termination_date", "email"} for row in rows
    )
    dates = [row["termination_date"] for row in rows if row["termination_date"]]
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates)
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}-0[78]:00", d) for d in dates)
    assert any(row["email"] is None for row in rows)


def test_only_the_bad_rows_fail_the_domain_rules() -> None:
    failed = {
        worker_at(CONFIG, i).kind
        for i, row in enumerate(report_rows(CONFIG))
        if isinstance(parse_worker(i, row), Failure)
    }
    assert failed == set(BAD_KINDS) - {RowKind.DUPLICATE_WID}  # a duplicate is only bad next to its twin
    wids = Counter(row["wid"] for row in report_rows(CONFIG))
    assert sum(1 for count in wids.values() if count > 1) == 2


def test_a_first_sync_of_the_default_population_has_every_kind_of_work_and_is_not_blocked() -> None:
    entries = [parse_worker(i, row) for i, row in enumerate(report_rows(CONFIG))]
    workers = [e.unwrap() if isinstance(e, Success) else e.failure() for e in entries]
    members = [
        Member(m.id, MemberStatus(m.status), m.first_name, m.last_name, m.workday_wid, m.employee_id, m.email)
        for m in initial_members(CONFIG)
    ]
    plan = plan_membership(workers, members, CONFIG.today)
    assert plan.invites
    assert plan.updates
    assert plan.removals
    assert plan.rejected
    assert {r.reason.value for r in plan.removals} == {"terminated", "not in report"}
    assert not plan.blocked
    untouched = {m.id for m in members if not m.is_synced}
    assert len(untouched) == 2
    touched = {u.member.id for u in plan.updates} | {r.member.id for r in plan.removals}
    assert untouched.isdisjoint(touched)


def test_rehires_have_a_removed_member_and_no_termination_date() -> None:
    rehires = [w for w in map(lambda i: worker_at(CONFIG, i), range(CONFIG.workers)) if w.kind is RowKind.REHIRE]
    assert rehires
    for worker in rehires:
        member = worker.initial_member()
        assert worker.report_row()["termination_date"] is None
        assert member is not None
        assert member.status == "removed"
        assert member.workday_wid == worker.wid
