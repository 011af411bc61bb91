"""Tenants fail independently: among many sandbox tenants run by the runtime, 10% whose Workday answers 503, 5%
whose refresh token Workday refuses and one whose WSDL lacks names the connector needs. The healthy tenants keep
their schedules (each session starts less than one interval after its due time); each failing tenant rests from
its failing work (the next tick leaves it out), raises exactly one alert, and once fixed runs again and sends one
recovery notice. Short in ``make test`` (40 tenants on the embedded SQLite runtime); 500 in ``make soak``, on SQLite and
on PostgreSQL (one worker, in this process: the test drives the application's clock and its ticks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from domain.runs import RunOutcome
from tests.reliability.fleet import own_database, postgres_answers
from tests.reliability.tenant_fleet import INTERVAL, REST, World, fleet_world

SHORT = 40
FULL = 500


def _fail_independently(world: World, deadline: float) -> None:
    fleet = world.fleet
    every = set(fleet.every)

    first = world.tick()
    assert world.started(first) == every
    world.sessions_end(first, every, deadline)
    succeeded = world.latest(RunOutcome.SUCCEEDED)
    assert set(succeeded) == set(fleet.healthy)
    assert set(world.latest(RunOutcome.FAILED)) == set(fleet.unavailable + fleet.refusing)
    assert set(world.latest(RunOutcome.PARTIAL)) == set(fleet.odd_wsdl)  # what lacks no name still went
    for tenant in fleet.healthy:
        assert succeeded[tenant].started_at - first < INTERVAL, tenant

    world.clock.advance(INTERVAL)
    second = world.tick()  # evaluates the alerts too
    assert world.started(second) == set(fleet.healthy)  # the failing tenants rest
    world.sessions_end(second, set(fleet.healthy), deadline)
    again = world.latest(RunOutcome.SUCCEEDED)
    for tenant in fleet.healthy:
        assert again[tenant].started_at - second < INTERVAL, tenant
    opened = world.notices("opened")
    assert set(opened) == set(fleet.failing)
    assert all(len(keys) == 1 for keys in opened.values()), opened
    for tenant in fleet.refusing:
        assert opened[tenant] == [f"{tenant}/token-refused"]
    for tenant in fleet.unavailable + fleet.odd_wsdl:
        assert opened[tenant] == [f"{tenant}/run-failed/transcripts"]

    world.fix()
    world.clock.advance(REST + INTERVAL)
    third = world.tick()  # the rest has passed: every tenant runs
    assert world.started(third) == every
    world.sessions_end(third, every, deadline)
    assert set(world.latest(RunOutcome.SUCCEEDED)) == every
    assert world.notices("opened") == opened  # still one alert each, however often evaluated

    world.clock.advance(INTERVAL)
    fourth = world.tick()
    recovered = world.notices("recovered")
    assert recovered == opened
    world.sessions_end(fourth, every, deadline)


def test_failing_tenants_rest_alert_once_and_recover_while_the_others_keep_their_schedules(tmp_path: Path) -> None:
    with fleet_world(SHORT, tmp_path) as world:
        _fail_independently(world, deadline=60)


@pytest.mark.soak
def test_five_hundred_tenants_fail_independently(tmp_path: Path) -> None:
    with fleet_world(FULL, tmp_path) as world:
        _fail_independently(world, deadline=600)


@pytest.mark.soak
def test_five_hundred_tenants_fail_independently_on_postgresql(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not postgres_answers():
        pytest.skip("PostgreSQL does not answer (WLC_TEST_POSTGRES_URL)")
    monkeypatch.setenv("WLC_SECRET_KEYS", Fernet.generate_key().decode())  # on SQLite one is made beside the ledger
    with own_database() as ledger_url, fleet_world(FULL, tmp_path, ledger_url=ledger_url) as world:
        _fail_independently(world, deadline=600)
