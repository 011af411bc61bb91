"""Workers cut off from PostgreSQL, and PostgreSQL's connections blipping, under real ``wlc worker`` processes:
each worker reaches the ledger through a fault-injecting TCP proxy of the test's own (``tcp_proxy.py``), and
Workday (the sandbox) must end exact. PostgreSQL only (skipped where none answers); a database per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.runtime.client import enqueue_due
from app.runtime.sessions import RUNS_AFTER_FENCING
from domain.runs import RunKind, RunOutcome
from domain.schedules import SyncKind
from tests.contract.test_runtime_postgres import World, _due_times, _until, world
from tests.reliability.kills import CONCURRENCY
from tests.reliability.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres
__all__ = ["world"]  # the fixture, used by the tests below


def _through(world: World, proxy: TcpProxy, scratch: Path, name: str) -> Path:
    """A copy of the world's ``wlc.toml`` whose ledger (and so the engine's system database) is reached through
    ``proxy``."""
    ledger = world.application.settings().ledger_url
    config = scratch / f"{name}.toml"
    config.write_text(world.config.read_text("utf-8").replace(ledger, proxy.url_through(ledger)), "utf-8")
    return config


def _tails(world: World) -> str:
    return "\n".join(f"--- {name}\n" + "".join(lines[-25:]) for name, lines in world.logs.items())


def _runs_again(world: World) -> int:
    return sum("runs again" in line for lines in world.logs.values() for line in lines)


def _sessions_end(world: World) -> bool | None:
    sessions = world.sessions()
    return (bool(sessions) and all(status == "SUCCESS" for _, _, status in sessions)) or None


def test_database_connections_dropped_and_refused_pause_the_workers_and_nothing_is_lost_or_doubled(
    world: World, tmp_path: Path
) -> None:
    learning = world.learning
    with TcpProxy.for_url(world.application.settings().ledger_url) as proxy:
        world.start_each({executor: _through(world, proxy, tmp_path, executor) for executor in ("w1", "w2")})
        enqueue_due(world.application, "a", SyncKind.TRANSCRIPTS, _due_times(1))
        _until(lambda: len(learning.records()) >= 5 or None, "the transcripts session under way")
        proxy.refuse()
        dropped = proxy.drop()
        _until(lambda: proxy.refused >= 4 or None, "the workers meet refused connections")
        proxy.heal()
        try:
            _until(lambda: _sessions_end(world), "the session ends")
        except AssertionError:
            raise AssertionError(f"{world.sessions()}\n{_tails(world)}") from None
        # What the blip left failing is sent by the next run, as after any partial run.
        later = enqueue_due(world.application, "a", SyncKind.TRANSCRIPTS, _due_times(2)[1:])
        _until(lambda: _sessions_end(world), f"a session after the blip ({later}) ends")

    expected = learning.should_hold()
    assert {record.id for record in learning.records()} == expected
    sent_twice = [item for item, puts in learning.put_counts("record").items() if puts > 1]
    assert len(sent_twice) <= CONCURRENCY  # at most those in flight at the drop, sent again as updates
    assert all(process.poll() is None for process in world.workers.values()), "a worker died"
    assert len(world.sessions()) == 2  # the blip's session and the later one, each run by one worker
    # A worker fenced by the blip (its beats could not reach the ledger) runs its session again once it holds it
    # again (``run_session``): one more run each time, each said in the worker's log.
    runs, again = world.runs("a", RunKind.TRANSCRIPTS), _runs_again(world)
    described = f"{[(r.id, r.outcome.value, r.counts, r.message) for r in runs]}\n{_tails(world)}"
    assert again <= RUNS_AFTER_FENCING, described
    assert len(runs) == 2 + again, described
    # The newest, the session after the blip, failed nothing (the sandbox's invalid record is refused each time).
    assert runs[0].outcome is not RunOutcome.FAILED, described
    assert runs[0].counts["failed"] == 0, described
    print(f"\nblip: {dropped} connections dropped, {proxy.refused} refused; {len(sent_twice)} records sent twice")
