"""Delivers the completion outbox to Workday: each thread one entry at a time through the account's
``PushCompletion`` (which keeps within the tenant's rate limit). A refusal with a 4xx status is final
(``failed``); Workday being unavailable, or refusing with a 5xx, leaves the entry pending and retries it with a
growing delay. Runs on ``DELIVERY_THREADS`` background threads while the app runs; ``drain_once`` drives it
synchronously in tests."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from returns.result import Failure, Success

from adapters.storage.completion_outbox import OutboxEntry, SqlCompletionOutbox
from app.errors import ConfigurationError
from app.http.services import Accounts
from domain.errors import PortUnavailable
from domain.ports.clock import Clock

log = logging.getLogger(__name__)

DELIVERY_THREADS = 8
"""Entries delivered at once. A delivery is three Learning API calls made one after another, so one thread would
use a fraction of the tenant's rate limit while it waits on Workday; the limiter shared by the tenant's calls,
not this number, keeps the rate within the limit, and each thread's claim keeps an entry to one of them."""

LEASE = timedelta(minutes=10)
"""How long a claim holds an entry: past it, the entry of a worker that died is delivered by another. Longer
than a delivery can take with every retry spent (three calls of up to 120 s of waits each), so a claim never
lapses under a delivery still running."""


def backoff(
    attempts: int, first: timedelta = timedelta(seconds=5), cap: timedelta = timedelta(minutes=15)
) -> timedelta:
    """The wait before attempt ``attempts + 1``: 5 s, doubled each time, at most 15 minutes."""
    doubled: timedelta = first * 2 ** min(max(attempts - 1, 0), 20)
    return min(doubled, cap)


class OutboxWorker:
    def __init__(
        self,
        outbox: SqlCompletionOutbox,
        accounts: Accounts,
        clock: Clock,
        idle_wait: float = 1.0,
        threads: int = DELIVERY_THREADS,
    ) -> None:
        self._outbox = outbox
        self._accounts = accounts
        self._clock = clock
        self._idle_wait = idle_wait
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._count = threads
        self._threads: list[threading.Thread] = []

    def drain_once(self) -> OutboxEntry | None:
        """Claims and delivers the next due entry; returns it as it now stands, or None when nothing is due."""
        entry = self._outbox.claim_next(self._clock.now(), LEASE)
        if entry is None:
            return None
        self._deliver(entry)
        return self._outbox.get(entry.id)

    def drain(self, limit: int = 10_000) -> int:
        """Delivers due entries until none is left (or ``limit``); returns how many it handled."""
        handled = 0
        while handled < limit and self.drain_once() is not None:
            handled += 1
        return handled

    def notify(self) -> None:
        """Wakes the thread: an entry was just enqueued."""
        self._wake.set()

    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        self._threads = [
            threading.Thread(target=self._run, name=f"completion-outbox-{n}", daemon=True) for n in range(self._count)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stops after the entry in hand, if any; an entry not reached stays pending for the next start."""
        if not self._threads:
            return
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def _run(self) -> None:
        while not self._stop.is_set():
            answered = True
            try:
                entry = self._outbox.claim_next(self._clock.now(), LEASE)
                if entry is not None:
                    answered = self._deliver(entry)
            except PortUnavailable as down:
                log.warning("completion outbox: %s", down)
                entry = None
            except Exception:  # the thread must outlive a bug in one delivery: log it, wait, go on
                log.exception("completion outbox: unexpected error")
                entry = None
            if entry is None:
                self._wake.wait(self._idle_wait)
                self._wake.clear()
            elif not answered:
                # Workday (or the account's settings) failed, not this entry: the next entry would fail the same
                # way, so pause rather than run through the whole outbox, each entry a write, against a dead end.
                self._stop.wait(self._idle_wait)

    def _deliver(self, entry: OutboxEntry) -> bool:
        """Delivers ``entry`` and settles it; False when Workday could not be reached or failed."""
        now = self._clock.now()
        if entry.account not in self._accounts:
            self._outbox.mark_failed(entry.id, f"account {entry.account!r} is no longer configured", now)
            return True
        try:
            pushed = self._accounts.get(entry.account).push_completion()(entry.completion)
        except (PortUnavailable, ConfigurationError) as down:
            self._retry(entry, str(down))
            return False
        now = self._clock.now()
        match pushed:
            case Success(enrollment):
                self._outbox.mark_delivered(entry.id, enrollment.workday_id, now)
            case Failure(refusal) if 400 <= refusal.status < 500:
                self._outbox.mark_failed(entry.id, _describe(refusal.message, refusal.provider_errors), now)
            case Failure(refusal):
                self._retry(entry, _describe(refusal.message, refusal.provider_errors))
                return False
        return True

    def _retry(self, entry: OutboxEntry, error: str) -> None:
        now = self._clock.now()
        log.info("completion %s not delivered (attempt %s), retried later: %s", entry.id, entry.attempts, error)
        self._outbox.retry_later(entry.id, error, now, now + backoff(entry.attempts))


def _describe(message: str, provider_errors: tuple[str, ...]) -> str:
    return "; ".join((message, *provider_errors))
