"""A tenant session whose worker is fenced midway (``app.runtime.sessions.run_session``): when the worker holds its
lease again (it beat late; nobody took it over) the session runs again and sends what it did not; when it was taken
over, the session ends and leaves the rest to its taker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from adapters.budget.lease import LeaseLost, check_lease, under_lease
from adapters.workday.errors import WsdlUnavailable
from app.runtime.sessions import ALWAYS, RUNS_AFTER_FENCING, SessionRequest, run_session
from domain.outbox import OutboxStatus
from domain.schedules import SyncKind
from tests.unit.http.world import COMPLETION, World

LEARNERS = ("E00042", "E00043", "E00044")


class FencedHold:
    """Holds for ``sends`` checks, then not until ``regained`` is asked, which answers ``comes_back``."""

    def __init__(self, sends: int, comes_back: bool) -> None:
        self.sends = sends
        self.comes_back = comes_back
        self.fenced = False
        self.asked = 0

    def __call__(self) -> bool:
        if self.sends == 0:
            self.fenced = True
        self.sends -= 1
        return not self.fenced

    def regained(self) -> bool:
        self.asked += 1
        self.fenced = not self.comes_back
        return self.comes_back


@pytest.fixture
def world(tmp_path: Path) -> World:
    world = World(tmp_path / "ledger.sqlite3")
    world.seed_course()
    for learner in LEARNERS:
        world.tenants["acme"].enrollments.launch(learner, "ADV-SALES-001")
        path = f"/unified/lms/users/{learner}/completions"
        assert world.client.post(path, json=COMPLETION, headers=world.as_acme()).status_code == 202
    return world


def _statuses(world: World) -> list[OutboxStatus]:
    return sorted(entry.status for entry in world.outbox.entries(account="acme"))


def test_a_session_fenced_for_a_late_beat_runs_again_once_held_and_delivers_everything(world: World) -> None:
    hold = FencedHold(sends=1, comes_back=True)

    result = run_session(world.application, "acme", SessionRequest(SyncKind.DELIVER), hold, "session-1")

    assert hold.asked == 1
    assert result["counts"]["delivered"] == len(LEARNERS)
    assert _statuses(world) == [OutboxStatus.DELIVERED] * len(LEARNERS)
    assert sorted(e.learner_id for e in world.tenants["acme"].enrollments.by_id.values() if e.result) == list(LEARNERS)


def test_a_session_whose_worker_was_taken_over_ends_and_leaves_the_rest_to_its_taker(world: World) -> None:
    hold = FencedHold(sends=1, comes_back=False)

    result = run_session(world.application, "acme", SessionRequest(SyncKind.DELIVER), hold, "session-1")

    assert hold.asked == 1
    assert result["counts"]["delivered"] == 1
    assert _statuses(world).count(OutboxStatus.DELIVERED) == 1


def test_a_session_never_fenced_runs_once(world: World) -> None:
    hold = FencedHold(sends=len(LEARNERS) + 10, comes_back=True)

    result = run_session(world.application, "acme", SessionRequest(SyncKind.DELIVER), hold, "session-1")

    assert hold.asked == 0
    assert result["counts"]["delivered"] == len(LEARNERS)


def test_a_session_fenced_at_every_run_stops_running_again_after_a_bound(world: World) -> None:
    class FencedEachRun(FencedHold):
        def regained(self) -> bool:
            self.sends = 1  # one more delivery, then fenced again
            return super().regained()

    hold = FencedEachRun(sends=0, comes_back=True)

    run_session(world.application, "acme", SessionRequest(SyncKind.DELIVER), hold, "session-1")

    assert hold.asked == RUNS_AFTER_FENCING


def test_a_request_refused_for_a_lost_lease_is_counted_on_the_sessions_lease() -> None:
    with under_lease(lambda: False) as lease:
        for _ in range(2):
            with pytest.raises(LeaseLost):
                check_lease("acme")
    assert lease.refused == 2
    check_lease("acme")  # outside a session every request goes


def test_a_delivery_session_fenced_before_its_push_is_built_runs_again_and_takes_its_own_claim(world: World) -> None:
    """A worker fenced as a resumed session builds the tenant's Workday adapters: the WSDL's fetch is a request of
    the session, refused by the fence. The session runs again once the worker holds its lease, and takes the entry
    it had claimed (before, it ended in error, and its claim held the entry until the claim's lease ran out)."""
    tenant = world.tenants["acme"]
    push = tenant.push()

    def built_through_the_fence() -> Any:
        try:
            check_lease("acme")
        except LeaseLost as refused:
            raise WsdlUnavailable(f"the WSDL could not be fetched: connection failed ({refused})") from None
        return push

    tenant.push = built_through_the_fence
    hold = FencedHold(sends=1, comes_back=True)  # claims the first entry, then fenced as the push is built

    result = run_session(world.application, "acme", SessionRequest(SyncKind.DELIVER), hold, "session-1")

    assert hold.asked == 1
    assert result["counts"]["delivered"] == len(LEARNERS)
    assert _statuses(world) == [OutboxStatus.DELIVERED] * len(LEARNERS)


def test_a_delivery_session_whose_tenants_workday_is_unreachable_still_fails(world: World) -> None:
    def unreachable() -> Any:
        raise WsdlUnavailable("the WSDL could not be fetched: connection refused")

    world.tenants["acme"].push = unreachable

    with pytest.raises(WsdlUnavailable):
        run_session(world.application, "acme", SessionRequest(SyncKind.DELIVER), ALWAYS, "session-1")
