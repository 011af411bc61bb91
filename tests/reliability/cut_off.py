"""A worker cut off from PostgreSQL mid-session, for the test of ``make test`` and the soak of ``make soak``.

Two real ``wlc worker`` processes each reach the ledger (and the engine's system database) through a proxy of their
own (``tcp_proxy.py``). Whichever runs tenant ``a``'s transcripts session is black-holed at the worst moment the test
can choose: while one of its connections is inside a transaction that has written rows (the delivery ledger's, the
outbox's, the engine's), so the server keeps them locked for a client that will not answer. (It was the tenant's
request-budget row; a slot is now one statement that the server commits by itself, so no client holds that row across
a round trip.) The other worker must take it over, finish the session, and Workday must end exact; when the proxy
heals, the cut-off worker must find itself taken over and send nothing more. Every wait is on a condition (a log
line, a session's status, a run's end), never on a time."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, create_engine, text

from adapters.storage import SqlDeliveryLedger
from app.runtime.client import enqueue_due
from domain.runs import Run, RunKind, RunOutcome
from domain.schedules import SyncKind
from sandbox.config import SandboxConfig
from tests.contract.test_runtime_postgres import World, _database, _due_times, _until
from tests.reliability.tcp_proxy import TcpProxy
from tests.reliability.test_workers_and_the_database import _tails, _through
from tests.sandbox_process import SandboxProcess
from tests.waiting import until

TENANT = "a"
CONCURRENCY = 4
"""The tenants' ``learning.concurrency`` here: at most this many Puts of a worker in flight at the cut. Lower than
the default 16, so that two workers' connections fit a PostgreSQL server that other tests share."""


_HOLDING = text(
    "SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid"
    " WHERE a.datname = current_database() AND a.client_port = ANY(:ports)"
    " AND a.state = 'idle in transaction' AND l.locktype = 'relation'"
    " AND l.mode IN ('RowExclusiveLock', 'RowShareLock')"
)
"""A backend of one of the proxy's connections, idle inside a transaction that has written rows or locked them for
update, in any table (the ledger's write of a delivery, the outbox's claim, the engine's record of a step): until
its commit, another worker's write of those rows waits on it."""


@dataclass(frozen=True, slots=True)
class CutOff:
    """What one cut did, as the test saw it."""

    worker: str
    taker: str
    records_at_cut: int
    """Records Workday held when the worker was cut off."""
    settled: frozenset[str]
    """Records the ledger held as settled at the cut: none of them may be sent again."""
    in_flight: frozenset[str]
    """Records Workday had processed that the ledger had not settled at the cut."""
    refused: int
    """Requests of the cut-off worker's own run refused for its lost lease, once it was back."""
    attempts: int
    """Cuts tried (each healed at once) before one landed inside a transaction of the worker's holding rows."""
    to_takeover: float
    to_end: float
    """Seconds from the cut to the taker's log line, and to the session's end on the taker."""


def cut_holding(proxy: TcpProxy, probe: Engine) -> int:
    """Black-holes ``proxy`` while one of its connections holds rows inside a transaction (``_HOLDING``); a cut that
    finds none is healed at once (a pause of milliseconds) and tried again. The attempts made."""
    attempts = 0

    def attempt() -> bool:
        nonlocal attempts
        attempts += 1
        proxy.black_hole()
        with probe.connect() as connection:
            found = connection.execute(_HOLDING, {"ports": sorted(proxy.client_ports())}).first()
        if found is None:
            proxy.heal()
        return found is not None

    until(attempt, "a cut while the worker holds rows in a transaction", 60.0, every=0.02)
    return attempts


def running(world: World) -> str | None:
    """The live worker running tenant ``a``'s session, once one has it."""
    return next((e for _, e, status in world.sessions() if status == "PENDING" and e in world.workers), None)


def _said(world: World, worker: str, words: str) -> int:
    return sum(words in line for line in world.logs[worker])


def cut_off_mid_session(world: World, proxies: dict[str, TcpProxy], probe: Engine, records: int) -> CutOff:
    """Cuts off the worker running the session once Workday holds ``records`` records; waits for the other to
    take it over and end the session; heals the proxy and waits for the cut-off worker to join again and for its
    own run of the session to end. Returns what it saw; asserts nothing sent after the taker ended the session."""
    learning = world.learning
    worker = _until(lambda: running(world) if len(learning.records()) >= records else None, f"{records} records")
    taker = next(name for name in proxies if name != worker)
    runs_before = {run.id for run in world.runs(TENANT, RunKind.TRANSCRIPTS)}
    takeovers_before = _said(world, taker, f"took over worker {worker}")
    joins_before = _said(world, worker, "joins again")

    attempts = cut_holding(proxies[worker], probe)
    cut_at = time.monotonic()
    processed = set(learning.put_counts("record"))
    settled = set(SqlDeliveryLedger(probe).settled(TENANT).records)
    records_at_cut = len(learning.records())

    _until(lambda: _said(world, taker, f"took over worker {worker}") > takeovers_before or None, "the takeover")
    to_takeover = time.monotonic() - cut_at
    _until(lambda: _ended_on(world, taker), f"{taker} ends the session", 60)
    to_end = time.monotonic() - cut_at
    ended = Counter(learning.put_counts("record"))

    proxies[worker].heal()  # the worker is back: what it held in flight reaches PostgreSQL now
    _until(lambda: _said(world, worker, "joins again") > joins_before or None, f"{worker} back, taken over")
    stale = _until(lambda: _finished_run(world, runs_before), f"{worker}'s own run of the session ends")

    again = {item for item, puts in learning.put_counts("record").items() if puts > ended[item]}
    assert not again, f"{worker}, back, sent what {taker} had sent: {sorted(again)[:5]}"
    # Once back it went on: each request refused before it was sent (or a write failed on a connection the
    # server had ended), so its run ends partial or failed, never as if it had delivered the rest.
    assert stale.outcome in (RunOutcome.PARTIAL, RunOutcome.FAILED), stale
    in_flight = frozenset(processed - settled)
    refused = _said(world, worker, "(LeaseLost)")
    return CutOff(worker, taker, records_at_cut, frozenset(settled), in_flight, refused, attempts, to_takeover, to_end)


def _ended_on(world: World, taker: str) -> bool | None:
    sessions = world.sessions()
    return (bool(sessions) and all(status == "SUCCESS" and e == taker for _, e, status in sessions)) or None


def _finished_run(world: World, runs_before: set[int]) -> Run | None:
    """The cut-off worker's run (the one begun before the cut), once every run of the tenant has finished."""
    runs = world.runs(TENANT, RunKind.TRANSCRIPTS)
    if any(run.finished_at is None for run in runs):
        return None
    return next(run for run in runs if run.id in runs_before)


_WAITS = text(
    "SELECT pid, client_port, state, wait_event_type, wait_event, pg_blocking_pids(pid), left(query, 60),"
    " now() - backend_start, now() - xact_start, now() - state_change"
    " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    " AND (state = 'idle in transaction' OR wait_event_type = 'Lock')"
)


def _waits(probe: Engine) -> str:
    """The server's backends that wait on a lock or sit inside a transaction: what a stalled test stalled on."""
    with probe.connect() as connection:
        return "\n".join(str(tuple(row)) for row in connection.execute(_WAITS))


@contextmanager
def cut_off_world(completions: int, scratch: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """A world of its own (``test_runtime_postgres.World``) whose sandbox holds ``completions`` completions, so the
    session runs long enough for a cut to land in it."""
    monkeypatch.setenv("WLC_SECRET_KEYS", Fernet.generate_key().decode())
    with (
        _database() as ledger_url,
        SandboxProcess(SandboxConfig, workers=40, completions=completions, soap_rate_limit=20) as sandbox,
    ):
        world = World(sandbox, ledger_url, scratch, 60)
        toml = world.config.read_text("utf-8")
        rate = f"rate_limit = {sandbox.config.soap_rate_limit}\n"
        toml = toml.replace(rate, f"{rate}concurrency = {CONCURRENCY}\n")
        world.config.write_text(toml, "utf-8")
        try:
            yield world
        finally:
            world.stop()


def _check(world: World, cut: CutOff) -> None:
    """Workday exact, nothing settled at the cut sent again, at most the Puts in flight at it repeated, one
    takeover, no worker dead."""
    learning = world.learning
    expected = learning.should_hold()
    assert {record.id for record in learning.records()} == expected
    assert cut.records_at_cut < len(expected)
    puts = learning.put_counts("record")
    twice = {item for item, n in puts.items() if n > 1}
    assert not twice & cut.settled, f"settled at the cut, sent again: {sorted(twice & cut.settled)[:5]}"
    assert len(twice) <= CONCURRENCY  # at most those in flight at the cut
    assert max(puts.values()) <= 2
    takeovers = [line for lines in world.logs.values() for line in lines if "took over worker" in line]
    assert len(takeovers) == 1, f"one takeover expected, of {cut.worker}: {takeovers}"
    assert all(process.poll() is None for process in world.workers.values()), "a worker died"


def run_cut_off(world: World, scratch: Path) -> CutOff:
    """The whole scenario on ``world``: both workers behind proxies, one session, one cut; asserts Workday exact,
    one takeover, and at most the records in flight at the cut sent twice."""
    learning = world.learning
    url = world.application.settings().ledger_url
    probe = create_engine(url)
    try:
        with TcpProxy.for_url(url) as one, TcpProxy.for_url(url) as two:
            proxies = {"w1": one, "w2": two}
            world.start_each({name: _through(world, proxy, scratch, name) for name, proxy in proxies.items()})
            enqueue_due(world.application, TENANT, SyncKind.TRANSCRIPTS, _due_times(1))
            try:
                cut = cut_off_mid_session(world, proxies, probe, records=5)
            except AssertionError as failed:
                ports = {name: sorted(proxy.client_ports()) for name, proxy in proxies.items()}
                raise AssertionError(
                    f"{failed}\n{world.sessions()}\n{ports}\n{_waits(probe)}\n{_tails(world)}"
                ) from None
    finally:
        probe.dispose()

    try:
        _check(world, cut)
    except AssertionError as failed:
        runs = [(r.id, r.outcome.value, r.counts, r.message[:120]) for r in world.runs(TENANT, RunKind.TRANSCRIPTS)]
        raise AssertionError(f"{failed}\n{cut}\nruns: {runs}\n{_tails(world)}") from None
    expected = learning.should_hold()
    puts = learning.put_counts("record")
    twice = {item for item, n in puts.items() if n > 1}
    print(
        f"\ncut off: {cut.worker} cut holding rows (attempt {cut.attempts}) at {cut.records_at_cut} of "
        f"{len(expected)} records, {len(cut.in_flight)} in flight; taken over by {cut.taker} "
        f"{cut.to_takeover:.1f} s after the cut, session ended {cut.to_end:.1f} s after it; "
        f"{sum(puts.values())} record Puts, {len(twice)} records sent twice; {cut.refused} requests of {cut.worker}'s "
        "own run refused once it was back"
    )
    return cut
