"""A transcript sync (``wlc transcripts sync``, in a process of its own forked from the tests' fork server) killed
with SIGKILL at points chosen by progress and started again, until a run is let finish; shared by the test of
``make test`` and the soak of ``make soak``.

The kill is sent from inside the sandbox's handling of the Put that brings what Workday holds to the chosen count,
before that Put is answered: the run is mid-delivery when it dies, with its other requests in flight and its
ledger being written. After each kill the ledger is opened and checked (``PRAGMA integrity_check``), and what it
holds as settled is noted: a Put of an item settled before the last kill would be a run sending again what it
had delivered, which is the one thing exactly-once forbids."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from adapters.storage import SqlDeliveryLedger, create_engine_for
from app.sandbox_settings import sandbox_toml
from sandbox.config import SandboxConfig
from sandbox.population import worker_by_employee_id
from sandbox.server import SandboxServer
from sandbox.workday.learning import endpoint as learning_endpoint
from sandbox.workday.learning.operations import LearningContext, Operation
from tests.fork_server import WlcProcess, start_wlc
from tests.reliability.harness import PUT_CONTENT, PUT_RECORD, RecordedSleeps, closing, item_id, sandbox_container

CONCURRENCY = 16
"""The default ``learning.concurrency``: at most this many Puts are in flight at a kill."""
TENANT = "sandbox"
"""The tenant's name in the ledger: ``sandbox_toml`` names it so."""
Item = tuple[str, str]
"""("content" or "record", the item's ID)."""


class KillSwitch:
    """Watches the sandbox's Learning Puts, on its server's thread: counts the Puts of each item, notes each Put
    of an item the ledger had settled at the last kill, and kills the armed process when Workday comes to hold
    the armed number of items. At the first Put after a kill it counts the items Workday processed that the
    ledger did not settle: those in flight at the kill (Workday goes on to process what had reached it), and any
    such left from earlier kills, which the run must send again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processed: Counter[Item] = Counter()
        self._stored: set[Item] = set()
        self._settled: frozenset[Item] = frozenset()
        self._resent_settled: list[Item] = []
        self._armed: tuple[int, int] | None = None
        self._count_unsettled = False
        self._unsettled: list[int] = []

    @contextmanager
    def watching(self) -> Iterator[KillSwitch]:
        kinds = {PUT_CONTENT: "content", PUT_RECORD: "record"}
        saved = {tag: learning_endpoint.OPERATIONS[tag] for tag in kinds}
        for tag, kind in kinds.items():
            learning_endpoint.OPERATIONS[tag] = self._watched(kind, saved[tag])
        try:
            yield self
        finally:
            learning_endpoint.OPERATIONS.update(saved)

    def arm(self, pid: int, items: int) -> None:
        """SIGKILL ``pid`` once Workday holds ``items`` items (at once if it already does, on the next Put)."""
        with self._lock:
            self._armed = (pid, items)

    def disarm(self) -> None:
        with self._lock:
            self._armed = None

    def settled_at_kill(self, settled: frozenset[Item]) -> None:
        with self._lock:
            self._settled = settled
            self._count_unsettled = True

    @property
    def unsettled(self) -> list[int]:
        """After each kill, the items Workday had processed that the ledger had not settled."""
        with self._lock:
            return list(self._unsettled)

    @property
    def processed(self) -> Counter[Item]:
        with self._lock:
            return Counter(self._processed)

    @property
    def resent_settled(self) -> list[Item]:
        with self._lock:
            return list(self._resent_settled)

    def _watched(self, kind: str, operation: Operation) -> Operation:
        def watched(context: LearningContext, request: etree._Element) -> etree._Element:
            item = (kind, item_id(request))
            with self._lock:
                if self._count_unsettled:
                    self._unsettled.append(len(self._processed.keys() - self._settled))
                    self._count_unsettled = False
                self._processed[item] += 1
                if item in self._settled:
                    self._resent_settled.append(item)
            answer = operation(context, request)  # a Validation_Fault is raised, and nothing is stored
            with self._lock:
                self._stored.add(item)
                if self._armed is not None and len(self._stored) >= self._armed[1]:
                    with suppress(ProcessLookupError):
                        os.kill(self._armed[0], signal.SIGKILL)
                    self._armed = None
            return answer

        return watched


@dataclass(frozen=True, slots=True)
class Kill:
    at: int
    """How many items Workday held when the kill was sent."""
    settled: int
    """How many items the ledger held as settled once the process was dead."""


def kill_and_restart(tmp_path: Path, config: SandboxConfig, kills: int, seed: int) -> None:
    """Runs ``wlc transcripts sync`` against a sandbox of ``config``, kills it ``kills`` times at item counts
    drawn with ``seed``, then lets a run finish; asserts the sandbox holds exactly the expected items, each
    stored once, that no run sent an item settled before it started, that at most the Puts in flight at each
    kill were sent again, and that the ledger was whole after every kill."""
    print(f"\nSIGKILL soak: seed {seed}, {kills} kills, {config.completions} completions")
    started = time.perf_counter()
    rng = random.Random(seed)
    ledger = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    with SandboxServer(config) as sandbox, KillSwitch().watching() as switch:
        toml = tmp_path / "wlc.toml"
        toml.write_text(sandbox_toml(sandbox.base_url, config, ledger), encoding="utf-8")
        expected = _expected(sandbox, f"sqlite:///{tmp_path / 'plan.sqlite3'}")
        points = sorted(rng.sample(range(1, len(expected)), kills))
        done: list[Kill] = []
        for n, point in enumerate(points):
            run = _wlc(toml, tmp_path / f"run-{n}.log")
            switch.arm(run.pid, point)
            code = run.wait(timeout=600)
            switch.disarm()
            assert code == -signal.SIGKILL, f"run {n} ended ({code}) before the kill at {point}: {_tail(tmp_path, n)}"
            settled = _settled(ledger)
            switch.settled_at_kill(settled)
            done.append(Kill(point, len(settled)))
        last = _wlc(toml, tmp_path / f"run-{kills}.log")
        code = last.wait(timeout=600)
        assert code in (0, 1), f"the last run failed ({code}): {_tail(tmp_path, kills)}"

        store = sandbox.workday_learning
        held = Counter(("record", r.id) for r in store.records()) + Counter(("content", c.id) for c in store.contents())
        again = {item: n - 1 for item, n in switch.processed.items() if n > 1}
        print(
            f"kills at (items Workday held, items the ledger settled): {[(k.at, k.settled) for k in done]}; "
            f"processed by Workday and unknown to the ledger after each: {switch.unsettled}; "
            f"{len(expected)} items expected, {len(held)} held; {sum(switch.processed.values())} Puts, "
            f"{sum(again.values())} of them repeated ({len(again)} items, at most {CONCURRENCY} x {kills} allowed); "
            f"last run exit {code}; {time.perf_counter() - started:.1f} s"
        )

        assert held == Counter(dict.fromkeys(expected, 1)), "an item missing, unexpected or stored twice"
        assert switch.resent_settled == [], "a run sent an item the ledger had settled"
        assert sum(again.values()) <= CONCURRENCY * kills, "more Puts repeated than were in flight at the kills"
        with closing(sandbox_container(sandbox, ledger, RecordedSleeps())) as container:
            assert container.plan_transcripts()().plan.is_empty


def _expected(sandbox: SandboxServer, scratch_ledger: str) -> frozenset[Item]:
    """The items Workday should end with: the content of every course planned, and a record of each passed,
    unrevoked completion of a learner Workday knows (the others it refuses as invalid)."""
    with closing(sandbox_container(sandbox, scratch_ledger, RecordedSleeps())) as container:
        contents = {("content", c.id) for c in container.plan_transcripts()().plan.contents}
    records = {
        ("record", c.id)
        for c in sandbox.completions.latest().values()
        if c.status == "passed"
        and not c.revoked
        and c.member.employee_id is not None
        and worker_by_employee_id(sandbox.config, c.member.employee_id) is not None
    }
    return frozenset(contents | records)


def _settled(ledger: str) -> frozenset[Item]:
    """What the ledger holds as settled, after checking the database is whole."""
    engine = create_engine_for(ledger)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        settled = SqlDeliveryLedger(engine).settled(TENANT)
    finally:
        engine.dispose()
    return frozenset({("content", i) for i in settled.contents} | {("record", i) for i in settled.records})


def _wlc(config: Path, log: Path) -> WlcProcess:
    # A file, not a pipe: nobody reads it while the run goes.
    return start_wlc(["--config", str(config), "transcripts", "sync"], output=log)


def _tail(tmp_path: Path, run: int) -> str:
    return (tmp_path / f"run-{run}.log").read_text(encoding="utf-8", errors="replace")[-2000:]
