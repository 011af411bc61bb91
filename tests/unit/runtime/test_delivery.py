"""A tenant's delivery session: its due entries one at a time, stopped by a Workday that cannot be reached (the
entries wait for their backoff), the other tenants' sessions untouched."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from returns.result import Result

from app.runtime.delivery import deliver_due
from app.use_cases.lms import LmsRefusal
from domain.errors import PortUnavailable
from domain.learning_completions import Enrollment, LearningCompletion
from domain.outbox import backoff
from tests.unit.http.world import COMPLETION, World


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path / "ledger.sqlite3")


def test_backoff_doubles_from_five_seconds_up_to_fifteen_minutes() -> None:
    waits = [backoff(n) for n in (1, 2, 3, 4)]

    assert waits == [timedelta(seconds=s) for s in (5, 10, 20, 40)]
    assert backoff(1000) == timedelta(minutes=15)


def _down(world: World, tenant: str) -> list[str]:
    """Makes ``tenant``'s Workday unreachable; returns the learners whose delivery was attempted."""
    attempted: list[str] = []

    def push() -> Any:
        def unreachable(completion: LearningCompletion, course_id: str | None = None) -> Result[Enrollment, LmsRefusal]:
            attempted.append(completion.learner_id)
            raise PortUnavailable("Workday could not be reached")

        return unreachable

    world.tenants[tenant].push = push
    return attempted


def _post(world: World, tenant: str, *learners: str) -> None:
    for learner in learners:
        posted = world.client.post(
            f"/unified/lms/users/{learner}/completions", json=COMPLETION, headers=world.headers_for(tenant)
        )
        assert posted.status_code == 202


def _session(world: World, tenant: str, limit: int = 100) -> dict[str, int]:
    deliverer = world.app.state.deps.tenants.get(tenant).deliver_completion
    return deliver_due(world.outbox, world.clock, deliverer, tenant, limit)


def test_a_session_delivers_its_tenants_due_entries_and_no_other_tenants(world: World) -> None:
    world.seed_course("acme")
    world.seed_course("globex")
    _post(world, "acme", "E1", "E2")
    _post(world, "globex", "G1")

    assert _session(world, "acme") == {"delivered": 2, "refused": 0, "retrying": 0}
    assert [len(world.tenants["acme"].enrollments.enrollments(e, None)) for e in ("E1", "E2")] == [1, 1]
    assert world.tenants["globex"].enrollments.enrollments("G1", None) == []
    assert _session(world, "acme") == {"delivered": 0, "refused": 0, "retrying": 0}


def test_an_unreachable_workday_ends_the_session_and_its_entries_wait_their_backoff(world: World) -> None:
    world.seed_course("acme")
    world.seed_course("globex")
    _post(world, "acme", "E1", "E2", "E3")
    _post(world, "globex", "G1")
    attempted = _down(world, "acme")

    assert _session(world, "acme") == {"delivered": 0, "refused": 0, "retrying": 1}
    assert attempted == ["E1"]  # the next entries would find Workday no better
    assert _session(world, "globex")["delivered"] == 1

    world.tenants["acme"].container.push_completion.reset_override()  # Workday is back
    assert _session(world, "acme")["delivered"] == 2  # E2 and E3; E1 waits for its retry time
    world.clock.advance(backoff(1))
    assert _session(world, "acme")["delivered"] == 1


def test_a_session_stops_at_its_share(world: World) -> None:
    world.seed_course("acme")
    _post(world, "acme", "E1", "E2", "E3")

    assert _session(world, "acme", limit=2)["delivered"] == 2
    assert _session(world, "acme", limit=2)["delivered"] == 1
