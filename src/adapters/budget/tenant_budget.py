"""One process's handle on a tenant's shared request budget: what the tenant's Workday clients take a slot of
before every request they send."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from adapters.budget.lease import check_lease
from adapters.budget.rule import MICROS, Deferred, Granted, Pace, Priority
from adapters.budget.store import BudgetStore, BudgetUnavailable
from adapters.workday.rate_limiter import DEFAULT_MARGIN, RETAKES

_log = logging.getLogger(__name__)

_ON_TIME = 0.001
"""Seconds of lateness that are not: a clock read's rounding, a sleep's usual overshoot."""


@dataclass(frozen=True, slots=True)
class Slot:
    """A slot taken: the request starts at ``at``; ``asked`` is when the store granted it. Both in microseconds
    on the store's clock. A request started after ``send_by``, on this process's clock, has missed it."""

    asked: int
    at: int
    send_by: float


class TenantBudget:
    """``tenant``'s budget of ``rate`` requests a second in ``store``, as a caller of ``priority`` takes it. A
    ``RequestBudget``: ``acquire`` blocks until a request may start.

    Thread-safe. Background callers of one handle ask the store one at a time (the others wait on a lock in
    memory), so a process asks once per slot however many of its threads wait; interactive callers each ask at
    once, since each gets a slot in one asking.

    A caller held up past its slot by more than half the margin (a loaded machine: the store's answer slow to come
    back, or the thread not scheduled when its sleep ended) does not send in it: together with the next caller's,
    its request could reach Workday less than the margin apart from the limit's worth before it. It takes a new
    slot instead, up to ``RETAKES`` times; the slot it leaves goes unused. ``reserve`` lets the HTTP transport ask
    the same again as the request is about to be written (``RateLimitedTransport``). ``clock`` (this process's, for
    how late a caller is) and ``sleep`` are injectable for tests."""

    def __init__(
        self,
        store: BudgetStore,
        tenant: str,
        rate: float,
        priority: Priority,
        *,
        margin: float = DEFAULT_MARGIN,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.tenant = tenant
        self.priority = priority
        self.pace = Pace.of(rate, margin)
        self.late_after = max(margin / 2, _ON_TIME)
        self._store = store
        self._clock = clock
        self._sleep = sleep
        self._one_at_a_time: AbstractContextManager[object] = (
            threading.Lock() if priority is Priority.BACKGROUND else nullcontext()
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.tenant!r}, gap {self.pace.gap} µs, {self.priority})"

    def take(self) -> Slot:
        """Waits for a slot and takes it. Raises ``BudgetUnavailable`` when the store cannot be asked."""
        retakes = 0
        with self._one_at_a_time:
            while True:
                asked = self._clock()
                try:
                    decision = self._store.take(self.tenant, self.pace, self.priority)
                except BudgetUnavailable as error:
                    _log.warning("the request budget of tenant %s cannot be asked: %s", self.tenant, error)
                    raise
                match decision:
                    case Granted(now=now, at=at):
                        wait = (at - now) / MICROS
                        if wait > 0:
                            self._sleep(wait)
                        # At most this late: the store's clock is not this process's, so the time its answer took
                        # to come back counts, and so (harmlessly) does the time the question took to reach it.
                        late = self._clock() - asked - wait
                        if late > self.late_after and retakes < RETAKES:
                            retakes += 1
                            _log.debug(
                                "tenant %s: a slot missed by up to %.0f ms, another taken", self.tenant, late * 1000
                            )
                            continue
                        check_lease(self.tenant)  # last, right before the request is sent
                        return Slot(asked=now, at=at, send_by=asked + wait + self.late_after)
                    case Deferred(now=now, retry_at=retry_at):
                        self._sleep((retry_at - now) / MICROS)

    def acquire(self) -> float:
        """Waits for a slot and takes it; returns when the request starts, in seconds on the store's clock."""
        return self.take().at / MICROS

    def reserve(self) -> Callable[[], bool]:
        """Waits for a slot and takes it; returns whether it has been missed by now (``Slot.send_by`` passed)."""
        send_by = self.take().send_by
        return lambda: self._clock() > send_by
