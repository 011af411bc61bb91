"""The incident log's contract (``domain.ports.incident_log.IncidentLog``), against the in-memory fake and the SQL
log on SQLite and PostgreSQL (skipped when none answers)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.fakes.incident_log import InMemoryIncidentLog
from adapters.storage.incident_log import SqlIncidentLog
from domain.alerts import Condition, HeldIncident, Incident, NoticeKind
from domain.ports.incident_log import IncidentLog
from domain.runs import RunKind
from tests.contract.storage_fixtures import postgres_engine_in_own_schema, postgres_url_or_skip, sqlite_engine

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


@pytest.fixture(params=["in-memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def log(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[IncidentLog]:
    if request.param == "in-memory":
        yield InMemoryIncidentLog()
    elif request.param == "sqlite":
        with sqlite_engine(tmp_path) as engine:
            yield SqlIncidentLog(engine)
    else:
        with postgres_engine_in_own_schema(postgres_url_or_skip()) as engine:
            yield SqlIncidentLog(engine)


def incident(tenant: str = "acme", at: datetime = T0) -> Incident:
    return Incident(
        f"{tenant}/run-failed/transcripts", tenant, Condition.RUN_FAILED, "transcripts run 4 failed: 'x' ✓", at,
        RunKind.TRANSCRIPTS,
    )  # fmt: skip


def test_an_incident_opens_once(log: IncidentLog) -> None:
    assert log.open(incident())
    assert not log.open(incident(at=T0 + timedelta(hours=1)))

    assert log.held() == [HeldIncident(incident())]


def test_incidents_are_listed_oldest_first(log: IncidentLog) -> None:
    later, earlier = incident("globex", T0 + timedelta(minutes=1)), incident("acme")
    log.open(later)
    log.open(earlier)

    assert [h.incident for h in log.held()] == [earlier, later]


def test_channels_reached_are_kept_per_notice(log: IncidentLog) -> None:
    log.open(incident())
    log.reached(incident().key, NoticeKind.ALERT, ["webhook"])
    log.reached(incident().key, NoticeKind.ALERT, ["email", "webhook"])
    log.clear(incident().key, T0 + timedelta(hours=1))
    log.reached(incident().key, NoticeKind.RECOVERY, ["email"])

    assert log.held() == [
        HeldIncident(incident(), frozenset({"webhook", "email"}), T0 + timedelta(hours=1), frozenset({"email"}))
    ]


def test_an_incident_clears_once(log: IncidentLog) -> None:
    log.open(incident())
    log.reached(incident().key, NoticeKind.ALERT, ["webhook"])

    assert log.clear(incident().key, T0 + timedelta(hours=1))
    assert not log.clear(incident().key, T0 + timedelta(hours=2))
    assert not log.clear("acme/stale/membership", T0)
    assert [h.cleared_at for h in log.held()] == [T0 + timedelta(hours=1)]


def test_an_incident_no_one_heard_of_is_forgotten_when_it_clears(log: IncidentLog) -> None:
    log.open(incident())

    assert log.clear(incident().key, T0)
    assert log.held() == []


def test_an_incident_that_returns_before_its_recovery_reached_every_channel_is_open_again(log: IncidentLog) -> None:
    log.open(incident())
    log.reached(incident().key, NoticeKind.ALERT, ["webhook", "email"])
    log.clear(incident().key, T0 + timedelta(hours=1))
    log.reached(incident().key, NoticeKind.RECOVERY, ["email"])

    assert not log.open(incident(at=T0 + timedelta(hours=2)))
    # The webhook never heard it cleared; the email did, and is owed its alert again.
    assert log.held() == [HeldIncident(incident(), frozenset({"webhook"}))]


def test_a_claim_is_held_until_released_or_lapsed(log: IncidentLog) -> None:
    log.open(incident())

    assert log.claim(incident().key, T0, LEASE) == HeldIncident(incident())
    assert log.claim(incident().key, T0 + timedelta(minutes=1), LEASE) is None
    assert log.claim(incident().key, T0 + LEASE, LEASE) is not None, "a lapsed claim"
    log.release(incident().key)
    assert log.claim(incident().key, T0 + LEASE, LEASE) is not None
    assert log.claim("acme/plan-blocked", T0, LEASE) is None


def test_a_forgotten_incident_is_gone(log: IncidentLog) -> None:
    log.open(incident())
    log.forget(incident().key)

    assert log.held() == []
    assert log.open(incident())


def test_of_processes_opening_one_incident_at_once_one_opens_it(log: IncidentLog) -> None:
    opened: list[bool] = []
    start = threading.Barrier(4)

    def open_it() -> None:
        start.wait()
        opened.append(log.open(incident()))

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(opened) == [False, False, False, True]
