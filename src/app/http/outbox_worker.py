"""Delivers the completion outbox to Workday: each thread one entry at a time through the account's
``PushCompletion`` (which keeps within the tenant's rate limit). A refusal with a 4xx status is final
(``failed``); Workday being unavailable, or refusing with a 5xx, leaves the entry pending and retries it with a
growing delay, and pauses the account's deliveries (``Outages``): the next entry would find Workday no better.
Runs on ``DELIVERY_THREADS`` background threads while the app runs; ``drain_once`` drives it synchronously in
tests."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable

from adapters.storage.completion_outbox import SqlCompletionOutbox
from app.errors import ConfigurationError
from app.http.services import ServedTenants
from app.observability.logs import bound
from app.observability.tracing import session_span
from app.use_cases.deliver import Settled
from domain.errors import PortUnavailable
from domain.outbox import CLAIM_LEASE, OutboxEntry, backoff
from domain.ports.clock import Clock

log = logging.getLogger(__name__)

DELIVERY_THREADS = 8
"""Entries delivered at once. A delivery is three Learning API calls made one after another, so one thread would
use a fraction of the tenant's rate limit while it waits on Workday; the limiter shared by the tenant's calls,
not this number, keeps the rate within the limit, and each thread's claim keeps an entry to one of them."""


class Outages:
    """Which accounts' deliveries are paused because their Workday could not be reached or failed, and until when.

    A delivery that fails so pauses its account for ``first`` seconds. Once the pause has run out, one delivery
    (one thread) probes: the others keep away from the account until it returns. If the probe fails too, the
    pause doubles (at most ``cap``); once a delivery is answered, the pause ends. Failures of deliveries already
    under way when the pause began do not lengthen it. Without this, each delivery thread would go on taking
    entries of a tenant that is down, each one a write to the ledger and a connection attempt, at the cost of
    the requests the API is answering and of the other accounts' deliveries. Thread-safe; ``now`` is monotonic
    seconds."""

    def __init__(self, first: float, cap: float = 60.0, now: Callable[[], float] = time.monotonic) -> None:
        self._first = first
        self._cap = cap
        self._now = now
        self._lock = threading.Lock()
        self._paused: dict[str, tuple[float, float]] = {}  # account: (resume at, pause)
        self._probing: set[str] = set()

    def reserve(self, accounts: Iterable[str]) -> tuple[list[str], set[str]]:
        """Of ``accounts`` (in order), those a thread may take an entry of now, and among them those whose pause
        has run out: this thread holds their probe until it calls ``release``, ``failed`` or ``answered``."""
        now = self._now()
        open_: list[str] = []
        probes: set[str] = set()
        with self._lock:
            for account in accounts:
                if account in self._probing:
                    continue
                if account in self._paused:
                    if now < self._paused[account][0]:
                        continue
                    self._probing.add(account)
                    probes.add(account)
                open_.append(account)
        return open_, probes

    def release(self, accounts: Iterable[str]) -> None:
        """Gives back probes a thread reserved and did not use (it took no entry of those accounts)."""
        with self._lock:
            self._probing.difference_update(accounts)

    def failed(self, account: str) -> None:
        now = self._now()
        with self._lock:
            self._probing.discard(account)
            resume_at, pause = self._paused.get(account, (0.0, 0.0))
            if now < resume_at:
                return  # begun before the pause: it says nothing new about the tenant
            pause = self._first if pause == 0 else min(pause * 2, self._cap)
            self._paused[account] = (now + pause, pause)

    def answered(self, account: str) -> None:
        with self._lock:
            self._probing.discard(account)
            self._paused.pop(account, None)

    def is_paused(self, account: str) -> bool:
        """The account's pause has not run out, or its probe is under way."""
        now = self._now()
        with self._lock:
            return account in self._probing or now < self._paused.get(account, (0.0, 0.0))[0]

    def next_resume(self) -> float | None:
        """Seconds until the first pause that has not run out ends; None when nothing is paused."""
        now = self._now()
        with self._lock:
            waits = [resume_at - now for resume_at, _ in self._paused.values() if now < resume_at]
        return min(waits, default=None)


class OutboxWorker:
    def __init__(
        self,
        outbox: SqlCompletionOutbox,
        accounts: ServedTenants,
        clock: Clock,
        idle_wait: float = 1.0,
        threads: int = DELIVERY_THREADS,
        outages: Outages | None = None,
    ) -> None:
        self._outbox = outbox
        self._tenants = accounts
        self._clock = clock
        self._idle_wait = idle_wait
        self.outages = outages if outages is not None else Outages(first=idle_wait)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._count = threads
        self._threads: list[threading.Thread] = []
        self._turn = itertools.count()

    def drain_once(self) -> OutboxEntry | None:
        """Claims and delivers the next due entry; returns it as it now stands, or None when nothing is due.
        Pauses are not applied: a test or an operator draining the outbox means to try now."""
        entry = self._outbox.claim_next(self._clock.now(), CLAIM_LEASE, accounts=sorted(self._tenants.names))
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

    def notify(self, account: str) -> None:
        """Wakes the threads, when they run in this process: an entry of ``account`` was just enqueued. Not while
        the account is paused: the threads would only find it waiting."""
        if not self.outages.is_paused(account):
            self._wake.set()

    def start(self) -> None:
        """Starts the delivery threads, after warning of what waits for accounts not configured here (left
        pending: a configuration that drifted must not fail what another host, or a later one, would deliver)."""
        if self._threads:
            return
        waiting = self._outbox.pending_of_other_accounts(self._tenants.names)
        if waiting:
            log.warning(
                "completion outbox: %s completions wait for accounts not configured here (%s); they stay pending",
                sum(waiting.values()),
                ", ".join(sorted(waiting)),
            )
        self._stop.clear()
        self._threads = [
            threading.Thread(target=self._run, name=f"completion-outbox-{n}", daemon=True) for n in range(self._count)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stops after the entries in hand, waiting at most ``timeout`` seconds for all the threads together; an
        entry not reached stays pending for the next start."""
        if not self._threads:
            return
        self._stop.set()
        self._wake.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._threads = []

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def _run(self) -> None:
        while not self._stop.is_set():
            wait = self.step()
            if wait is not None:
                self._wake.wait(wait)
                self._wake.clear()

    def step(self) -> float | None:
        """Claims and delivers one due entry of an account not paused, taking the accounts in turn. Returns how
        long to wait before the next step (until an entry is enqueued, or a pause runs out), or None to go on at
        once."""
        try:
            open_, probes = self.outages.reserve(self._in_turn())
            entry: OutboxEntry | None = None
            try:
                entry = self._outbox.claim_next(self._clock.now(), CLAIM_LEASE, accounts=open_) if open_ else None
            finally:  # a probe not used goes back, whatever happened to the claim
                self.outages.release(probes - ({entry.account} if entry is not None else set()))
            if entry is None:
                resume = self.outages.next_resume()
                return self._idle_wait if resume is None else min(resume, self._idle_wait)
            try:
                answered = self._deliver(entry)
            except BaseException:
                self.outages.failed(entry.account)  # and so its probe, if it was one, is over
                raise
            if answered:
                self.outages.answered(entry.account)
            else:
                self.outages.failed(entry.account)
            return None
        except PortUnavailable as down:  # the ledger
            log.warning("completion outbox: %s", down)
        except Exception:  # the thread must outlive a bug in one delivery: log it, wait, go on
            log.exception("completion outbox: unexpected error")
        return self._idle_wait

    def _in_turn(self) -> list[str]:
        """The configured accounts, starting one further along at each call: a backlog of one account does not
        keep the others waiting."""
        names = sorted(self._tenants.names)
        if not names:
            return []
        first = next(self._turn) % len(names)
        return names[first:] + names[:first]

    def _deliver(self, entry: OutboxEntry) -> bool:
        """Delivers ``entry`` and settles it; False when Workday could not be reached or failed. Each failure is
        logged once, naming the tenant."""
        with bound(tenant=entry.account), session_span(entry.account, "deliver"):
            return self._deliver_once(entry)

    def _deliver_once(self, entry: OutboxEntry) -> bool:
        if entry.account not in self._tenants:
            reason = f"account {entry.account!r} is no longer configured"
            log.warning("completion %s refused for good: %s", entry.id, reason)
            self._outbox.mark_failed(entry.id, reason, self._clock.now())
            return True
        try:
            delivery = self._tenants.get(entry.account).deliver_completion()(entry)
        except ConfigurationError as unusable:  # the account's use cases could not be built
            log.warning("completion %s not delivered, retried later: %s", entry.id, unusable)
            now = self._clock.now()
            self._outbox.retry_later(entry.id, str(unusable), now, now + backoff(entry.attempts))
            return False
        if delivery.settled is Settled.RETRYING:
            log.warning(
                "completion %s not delivered (attempt %s), retried later: %s", entry.id, entry.attempts, delivery.detail
            )
            return False
        if delivery.settled is Settled.REFUSED:
            log.warning("completion %s refused for good: %s", entry.id, delivery.detail)
        return True
