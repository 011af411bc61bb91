"""Workers that die or are cut off: another worker resumes their sessions, and they send nothing more.

DBOS Transact resumes a worker's unfinished workflows when a process starts again under its executor id; taking
over a worker that does not come back is left to the operator (or to DBOS's hosted Conductor). Here every worker
beats in the ledger (``SqlWorkerHeartbeats``) every ``heartbeat_seconds``; a worker that finds another silent for
``worker_timeout_seconds`` takes it over (exactly one does) and returns its unfinished workflows to their queues,
where any worker dequeues them. DBOS 3.4.0 offers that only as ``DBOS._recover_pending_workflows`` (the call its
own start-up recovery makes, documented as internal; its re-enqueue is guarded by the dead executor's id, so a
second call for the same worker changes nothing).

Fencing: a worker that has not beaten for half the timeout, or whose beat finds it was taken over, is *fenced*: its
sessions stop before their next Workday write (``Liveness.held``), since another worker may be running them. It
joins again under a new lease; only sessions it starts after that may send. A worker fenced only for beating late
(nobody took it over) holds its lease again at its next beat, and its sessions run again what they did not send
(``SessionHold.regained``)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from adapters.storage.errors import LedgerStorageError
from adapters.storage.worker_heartbeats import SqlWorkerHeartbeats
from domain.ports.clock import Clock

log = logging.getLogger(__name__)

Recover = Callable[[str], int]
"""Returns a taken-over worker's unfinished workflows to their queues: how many."""


class Liveness:
    def __init__(
        self,
        heartbeats: SqlWorkerHeartbeats,
        clock: Clock,
        executor_id: str,
        recover: Recover,
        every: float,
        timeout: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._heartbeats = heartbeats
        self._clock = clock
        self._executor_id = executor_id
        self._recover = recover
        self._every = every
        self._timeout = timeout
        self._monotonic = monotonic
        self._lease = 0
        self._last_beat = monotonic()
        self._stop = threading.Event()
        self._beaten = threading.Condition()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._join()
        self._thread = threading.Thread(target=self._run, name="wlc-liveness", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self._every + 5)

    def held(self) -> SessionHold:
        """For a session starting now: whether this worker still holds the sessions it started, asked before each
        Workday write. False once the worker was fenced, even after it joined again."""
        return SessionHold(self, self._lease)

    def holds(self, lease: int) -> bool:
        # Half the timeout: a worker stops sending well before another may take it over.
        return lease == self._lease and self._monotonic() - self._last_beat < self._timeout / 2

    def wait_held(self, lease: int) -> bool:
        """Waits, for up to the timeout, until this worker holds ``lease`` again (True: it was fenced for a late
        beat only) or joined under another (False: it was taken over); False too if neither happens in time."""
        end = self._monotonic() + self._timeout
        with self._beaten:
            while lease == self._lease and not self.holds(lease):
                left = end - self._monotonic()
                if left <= 0 or self._stop.is_set():
                    return False
                self._beaten.wait(min(left, self._every))
        return self.holds(lease)

    def alive(self) -> set[str]:
        """The workers that beat within the timeout, this one among them once it has joined."""
        return self._heartbeats.alive(self._clock.now(), timedelta(seconds=self._timeout))

    def beat_once(self) -> list[str]:
        """One beat, and the takeover of every silent worker: the workers taken over.

        Each statement carries the time read just before it, and a beat counts from that time, not from when it
        returned: a beat held up by the network (a worker cut off, and back) is recorded as old as it is, so
        this worker stops sending when the others may take it over, and it joins again with the time it came
        back, not one already past the timeout (which had it taken over a second time, at once)."""
        started = self._monotonic()
        if self._heartbeats.beat(self._executor_id, self._lease, self._clock.now()):
            self._beat_at(started)
        else:
            log.warning("worker %s was taken over by another; it joins again", self._executor_id)
            self._join()
        taken = self._heartbeats.take_silent(self._clock.now(), timedelta(seconds=self._timeout))
        for executor_id in taken:
            resumed = self._recover(executor_id)
            log.warning(
                "worker %s took over worker %s, silent for over %s s: %d unfinished sessions back in their queues",
                self._executor_id,
                executor_id,
                self._timeout,
                resumed,
            )
        return taken

    def _join(self) -> None:
        started = self._monotonic()
        lease = self._heartbeats.join(self._executor_id, self._clock.now())
        with self._beaten:
            self._lease, self._last_beat = lease, started
            self._beaten.notify_all()

    def _beat_at(self, moment: float) -> None:
        with self._beaten:
            self._last_beat = moment
            self._beaten.notify_all()

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self.beat_once()
            except LedgerStorageError as failed:  # the database away: try again at the next beat
                silent = self._monotonic() - self._last_beat
                log.warning("worker %s could not beat (%s s since the last): %s", self._executor_id, silent, failed)


class SessionHold:
    """A session's hold on the lease its worker had when it started: called, whether the session may send now."""

    def __init__(self, liveness: Liveness, lease: int) -> None:
        self._liveness = liveness
        self._lease = lease

    def __call__(self) -> bool:
        return self._liveness.holds(self._lease)

    def regained(self) -> bool:
        """Whether the session holds its lease again, waiting for the worker's next beats: a session that did not
        send what it had to while its worker beat late runs again then; one whose worker was taken over does not
        (the taker resumes it)."""
        return self._liveness.wait_held(self._lease)
