"""One process's handle on a tenant's shared request budget: what the tenant's Workday clients take a slot of
before every request they send."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from adapters.budget.lease import check_lease
from adapters.budget.rule import MICROS, Deferred, Granted, Pace, Priority
from adapters.budget.store import BudgetStore, BudgetUnavailable
from adapters.workday.rate_limiter import DEFAULT_MARGIN, RETAKES, Reservation

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
    memory; after ``reserve``, until the request is written), so a process asks once per slot however many of its
    threads wait; interactive callers each ask at once, since each gets a slot in one asking.

    A caller held up past its slot by more than half the margin (a loaded machine: the store's answer slow to come
    back, or the thread not scheduled when its sleep ended) must not send as if on time: together with the next
    caller's, its request could reach Workday less than the margin apart from the limit's worth before it. Through
    ``take`` (and an interactive ``reserve``) it takes a new slot instead, up to ``RETAKES`` times; the slot it
    leaves goes unused. A background ``reserve`` sends late instead and moves the slots after it (``reserve`` says
    why). ``reserve`` lets the HTTP transport ask the same again as the request is about to be written
    (``RateLimitedTransport``), and be told once it was: a request written later than that, held up after the
    asking, moves the tenant's later slots back as far as it was late (``rule.sent_late``). ``clock`` (this
    process's, for how late a caller is) and ``sleep`` are injectable for tests."""

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
        self._one_at_a_time = threading.Lock() if priority is Priority.BACKGROUND else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.tenant!r}, gap {self.pace.gap} µs, {self.priority})"

    def take(self) -> Slot:
        """Waits for a slot and takes it. Raises ``BudgetUnavailable`` when the store cannot be asked."""
        self._wait_turn()
        try:
            return self._take(RETAKES)
        finally:
            self._end_turn()

    def _wait_turn(self) -> None:
        if self._one_at_a_time is not None:
            self._one_at_a_time.acquire()

    def _end_turn(self) -> None:
        if self._one_at_a_time is not None:
            self._one_at_a_time.release()

    def _take(self, retakes: int) -> Slot:
        """A slot, taken again up to ``retakes`` times when the caller was held up past it."""
        asked: list[float] = []

        def asking() -> None:
            asked.append(self._clock())

        while True:
            asking()
            try:
                decision = self._store.take(self.tenant, self.pace, self.priority, asking=asking)
            except BudgetUnavailable as error:
                _log.warning("the request budget of tenant %s cannot be asked: %s", self.tenant, error)
                raise
            match decision:
                case Granted(now=now, at=at):
                    wait = (at - now) / MICROS
                    if wait > 0:
                        self._sleep(wait)
                    # At most this late: the store's clock is not this process's, so the time its answer took
                    # to come back counts, and so (harmlessly) does the time the question took to reach it; the
                    # wait for a connection before the question went out does not.
                    late = self._clock() - asked[-1] - wait
                    if late > self.late_after and retakes > 0:
                        retakes -= 1
                        _log.debug("tenant %s: a slot missed by up to %.0f ms, another taken", self.tenant, late * 1000)
                        continue
                    check_lease(self.tenant)  # last, right before the request is sent
                    return Slot(asked=now, at=at, send_by=asked[-1] + wait + self.late_after)
                case Deferred(now=now, retry_at=retry_at):
                    self._sleep((retry_at - now) / MICROS)

    def acquire(self) -> float:
        """Waits for a slot and takes it; returns when the request starts, in seconds on the store's clock."""
        return self.take().at / MICROS

    def reserve(self) -> Reservation:
        """Waits for a slot and takes it; returns it as a ``Reservation``.

        A background caller's turn lasts until its request is written or given up (``Reservation.sent``,
        ``Reservation.done``): the process's next background caller asks only then. So a background caller held up
        past its slot sends all the same, and its lateness moves the slots after it (``sent``) before another is
        handed out: that costs the tenant the time it was late, where a new slot would cost a gap and another
        asking. An interactive caller takes a new slot instead, as ``take`` does, and its reservation is missed
        once ``Slot.send_by`` has passed: the interactive slots queued after its own are handed out already, and
        cannot be moved."""
        self._wait_turn()
        background = self._one_at_a_time is not None
        try:
            return _Reserved(self, self._take(0 if background else RETAKES), self._end_turn, missable=not background)
        except BaseException:
            self._end_turn()
            raise

    def missed(self, slot: Slot) -> bool:
        """Whether a request not yet started has missed ``slot``: ``Slot.send_by`` has passed."""
        return self._clock() > slot.send_by

    def sent(self, slot: Slot) -> None:
        """Told that the request of ``slot`` has been written: if that was more than ``late_after`` after the slot,
        the tenant's slots after it move back as far. A store that cannot be asked is logged, not raised: the
        request has gone."""
        late = self._clock() - (slot.send_by - self.late_after)
        if late <= self.late_after:
            return
        _log.debug(
            "tenant %s: a request written %.0f ms after its slot; the slots after it move back as far",
            self.tenant,
            late * 1000,
        )
        try:
            self._store.sent_late(self.tenant, slot.at, math.ceil(late * MICROS))
        except BudgetUnavailable as error:
            _log.warning("the request budget of tenant %s was not told of a late request: %s", self.tenant, error)


class _Reserved(Reservation):
    """A slot of ``budget`` whose caller's turn ends once, when its request is written or given up; ``missable``:
    whether it is missed once ``Slot.send_by`` has passed."""

    def __init__(self, budget: TenantBudget, slot: Slot, end_turn: Callable[[], None], *, missable: bool) -> None:
        self._budget = budget
        self._slot = slot
        self._end_turn: Callable[[], None] | None = end_turn
        self._missable = missable

    def missed(self) -> bool:
        return self._missable and self._budget.missed(self._slot)

    def sent(self) -> None:
        try:
            self._budget.sent(self._slot)
        finally:
            self.done()

    def done(self) -> None:
        end_turn, self._end_turn = self._end_turn, None
        if end_turn is not None:
            end_turn()
