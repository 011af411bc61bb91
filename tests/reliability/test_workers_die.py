"""Workers die: real ``wlc worker`` processes on PostgreSQL, three running at any time, SIGKILLed at points drawn
from a seed (``WLC_KILL_SEED`` replays a run) while they deliver. A killed worker is never started again under its
id; another takes its sessions over after ``runtime.worker_timeout_seconds``, and a fresh worker under a new id
takes its place. Workday (the sandbox) must end exact, and each tenant's busiest second, as the sandbox counted
it, must stay within its limit throughout, the takeovers included. Two ways: many tenants' outbox backlogs
(``make test``: 8 tenants and 2 kills; ``make soak``: 50 tenants and a dozen), and one tenant's transcript sync
(``make soak``). PostgreSQL only (skipped where none answers); a database per test."""

from __future__ import annotations

import itertools
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from app.runtime.client import enqueue_due
from domain.schedules import SyncKind
from sandbox.config import SandboxConfig
from tests.contract.test_runtime_postgres import (
    WORKER_TIMEOUT,
    World,
    _database,
    _due_times,
    _until,
)
from tests.reliability.fleet import LIMIT as FLEET_LIMIT
from tests.reliability.fleet import Fleet, own_database, postgres_answers, sandbox_config, tenant_names
from tests.reliability.kills import CONCURRENCY
from tests.reliability.test_workers_and_the_database import _sessions_end, _tails
from tests.sandbox_process import SandboxProcess
from tests.waiting import until

pytestmark = pytest.mark.postgres

LIMIT = 20
"""The tenant's ``rate_limit`` and the sandbox's: a request over it is refused with a 429 and counted."""


@contextmanager
def _world(completions: int, scratch: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("WLC_SECRET_KEYS", Fernet.generate_key().decode())
    with (
        _database() as ledger_url,
        SandboxProcess(SandboxConfig, workers=40, completions=completions, soap_rate_limit=LIMIT) as sandbox,
    ):
        world = World(sandbox, ledger_url, scratch, 60)
        try:
            yield world
        finally:
            world.stop()


def _running(world: World) -> str | None:
    """The live worker running tenant ``a``'s session, once one has it."""
    return next((e for _, e, status in world.sessions() if status == "PENDING" and e in world.workers), None)


def _running_at(world: World, records: int) -> str | None:
    """The worker running the session once Workday holds ``records`` records."""
    return _running(world) if len(world.learning.records()) >= records else None


def _taken_over(world: World, dead: str) -> bool | None:
    return any(f"took over worker {dead}" in line for lines in world.logs.values() for line in lines) or None


def _kill_points(seed: int, kills: int, backlog: int) -> list[int]:
    """Counts of records Workday holds at which a worker is killed: one in each of ``kills`` equal stretches of
    the first four fifths of the backlog, so each kill lands mid-delivery."""
    draw = random.Random(seed)
    stretch = backlog * 4 // 5 // kills
    return [n * stretch + draw.randint(1, max(1, stretch - 1)) for n in range(kills)]


def _workers_die(world: World, kills: int, seed: int) -> None:
    learning = world.learning
    expected = learning.should_hold()
    points = _kill_points(seed, kills, len(expected))
    print(f"\nworkers die: seed {seed} (WLC_KILL_SEED replays it), kills at {points} of {len(expected)} records")
    names = iter(f"w{n}" for n in range(1, 100))
    world.start(*(next(names) for _ in range(3)))
    enqueue_due(world.application, "a", SyncKind.TRANSCRIPTS, _due_times(1))
    takeovers: list[float] = []
    for point in points:
        victim = _until(partial(_running_at, world, point), f"{point} records")
        world.kill(victim)  # and never started again under its id
        killed_at = time.monotonic()
        _until(partial(_taken_over, world, victim), f"another worker takes over {victim}")
        takeovers.append(time.monotonic() - killed_at)
        world.start(next(names))  # three workers again, the dead one's id left unused
    try:
        _until(lambda: _sessions_end(world), "the session ends")
    except AssertionError:
        raise AssertionError(f"{world.sessions()}\n{_tails(world)}") from None

    assert {record.id for record in learning.records()} == expected
    sent_twice = [item for item, puts in learning.put_counts("record").items() if puts > 1]
    assert len(sent_twice) <= CONCURRENCY * kills  # at most those in flight at each kill, sent again as updates
    assert learning.refused() == 0, "a second held more requests than the tenant's limit"
    assert learning.busiest() <= LIMIT
    assert all(process.poll() is None for process in world.workers.values()), "a surviving worker died"
    print(
        f"workers die: {kills} kills, taken over {[round(t, 1) for t in takeovers]} s after each kill "
        f"(timeout {WORKER_TIMEOUT} s); {len(sent_twice)} records sent twice; "
        f"busiest second {learning.busiest()} of {LIMIT}"
    )


def _seed() -> int:
    return int(os.environ.get("WLC_KILL_SEED") or random.SystemRandom().randrange(10**6))


RATE_MARGIN_MS = 150
"""The tenants' ``learning.rate_margin_ms``. A worker starting beside the others on two shared cores holds their
threads up for longer than the default 30 ms: with it, Workday answered a few 429s (retried, nothing lost)."""
FLEET_DEADLINE = 300
"""Seconds a fleet's step may take (a delivery reached, a takeover seen, the backlogs drained)."""


def _tenants_workers_die(
    scratch: Path, monkeypatch: pytest.MonkeyPatch, tenants: int, per_tenant: int, kills: int, seed: int
) -> None:
    if not postgres_answers():
        pytest.skip("PostgreSQL does not answer (WLC_TEST_POSTGRES_URL): workers share PostgreSQL only")
    monkeypatch.setenv("WLC_SECRET_KEYS", Fernet.generate_key().decode())
    names = tenant_names(tenants)
    with own_database() as ledger_url, SandboxProcess(sandbox_config, names, learners=per_tenant) as sandbox:
        fleet = Fleet(
            sandbox, ledger_url, scratch, names, worker_timeout_seconds=WORKER_TIMEOUT, rate_margin_ms=RATE_MARGIN_MS
        )
        try:
            _kill_while_delivering(fleet, per_tenant, kills, seed)
        finally:
            fleet.close()


def _reached(fleet: Fleet, delivered: int) -> bool:
    return fleet.delivered() >= delivered


def _kill_while_delivering(fleet: Fleet, per_tenant: int, kills: int, seed: int) -> None:
    total = fleet.fill(per_tenant)
    points = _kill_points(seed, kills, total)
    draw = random.Random(seed)
    print(f"\nworkers die: seed {seed} (WLC_KILL_SEED replays it), kills at {points} of {total} completions")
    executors = (f"w{n}" for n in itertools.count(1))
    fleet.start(*(next(executors) for _ in range(3)))
    takeovers: list[float] = []
    for point in points:
        until(partial(_reached, fleet, point), f"{point} delivered", FLEET_DEADLINE)
        victim = draw.choice(sorted(fleet.workers))
        fleet.kill(victim)  # and never started again under its id
        killed_at = time.monotonic()
        until(partial(fleet.taken_over, victim), f"another worker takes over {victim}", FLEET_DEADLINE)
        takeovers.append(time.monotonic() - killed_at)
        fleet.start(next(executors))  # three workers again
    until(partial(_reached, fleet, total), f"all {total} completions delivered", FLEET_DEADLINE)

    learners = sorted(fleet.learners(per_tenant))
    resent: dict[str, int] = {}
    for tenant in fleet.tenants:
        enrollments = fleet.enrollments(tenant)
        assert sorted(e.learner_employee_id for e in enrollments) == learners, tenant  # each learner once
        assert all(e.completion is not None for e in enrollments), tenant
        resent[tenant] = sum(1 for e in enrollments if e.puts > 1)
    # A tenant's session has one completion in hand at a time: a kill can leave at most that one sent twice.
    assert max(resent.values()) <= kills, resent
    busiest = fleet.busiest()
    assert fleet.refused() == 0, "a tenant's Workday refused requests over its limit"
    assert max(busiest.values()) <= FLEET_LIMIT, busiest
    assert all(process.poll() is None for process in fleet.workers.values()), "a surviving worker died"
    print(
        f"workers die: {len(fleet.tenants)} tenants, {total} completions, {kills} kills, taken over "
        f"{[round(t, 1) for t in takeovers]} s after each kill (timeout {WORKER_TIMEOUT} s); "
        f"{sum(resent.values())} completions sent twice; busiest second {max(busiest.values())} of {FLEET_LIMIT}"
    )


def test_workers_killed_while_tenants_deliver_are_taken_over_and_every_workday_ends_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tenants_workers_die(tmp_path, monkeypatch, tenants=8, per_tenant=12, kills=2, seed=_seed())


@pytest.mark.soak
def test_a_dozen_workers_killed_while_fifty_tenants_deliver_every_workday_ends_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tenants_workers_die(tmp_path, monkeypatch, tenants=50, per_tenant=40, kills=12, seed=_seed())


@pytest.mark.soak
def test_a_dozen_workers_killed_are_taken_over_and_workday_ends_exact_within_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _world(1200, tmp_path, monkeypatch) as world:
        _workers_die(world, kills=12, seed=_seed())
