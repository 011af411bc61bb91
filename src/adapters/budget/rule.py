"""The rule that decides when a request of a tenant may start: pure, in whole microseconds on the store's clock,
the same in every store (the Redis store runs it as a Lua script, ``redis_store._TAKE``, kept in step with this one by
the stores' shared contract suite)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from adapters.workday.rate_limiter import DEFAULT_MARGIN, WINDOW

MICROS = 1_000_000

STALE_AHEAD = 300 * MICROS
"""A tenant's state further ahead of the store's clock than this cannot come from callers waiting (a request waits
seconds, never minutes): the clock was set back. It is forgotten rather than waited out."""


class Priority(StrEnum):
    """Who asks: interactive callers (the API answering a request, the CLI) go first; background ones (workers'
    sessions: deliveries, scheduled syncs) take what they leave."""

    INTERACTIVE = "interactive"
    BACKGROUND = "background"


@dataclass(frozen=True, slots=True)
class Pace:
    """A tenant's limit as the rule applies it: slots at least ``gap`` apart, and an interactive caller's hold on
    the budget lasting ``window`` after its slot, both in microseconds."""

    gap: int
    window: int

    def __post_init__(self) -> None:
        if not 0 < self.gap <= self.window:
            raise ValueError(f"a pace needs 0 < gap <= window, not gap {self.gap} µs and window {self.window} µs")

    @classmethod
    def of(cls, rate: float, margin: float = DEFAULT_MARGIN) -> Pace:
        """The pace of ``rate`` requests a second (rounded down to whole requests): ``floor(rate)`` slots evenly
        spread over ``1 s + margin``, the gap rounded up so that no window of that length holds more. Raises
        ``ValueError`` for a rate below one request a second or a margin outside ``[0, 1 s)``."""
        if not rate >= 1:
            raise ValueError(f"rate must be at least 1 request per second, not {rate}")
        if not 0 <= margin < WINDOW:
            raise ValueError(f"margin must be between 0 and {WINDOW} s, not {margin}")
        window = round((WINDOW + margin) * MICROS)
        return cls(gap=-(-window // math.floor(rate)), window=window)


@dataclass(frozen=True, slots=True)
class BudgetState:
    """What a store keeps per tenant: the latest slot handed out (which may lie ahead, reserved by a caller that
    is waiting for it) and the end of the interactive callers' hold."""

    last_slot: int
    interactive_until: int

    def forgettable_at(self, pace: Pace) -> int:
        """From this time on, the state decides nothing that a tenant without state would not: it may be dropped."""
        return max(self.last_slot + pace.gap, self.interactive_until)


NEVER = -(2**62)
"""A time before any clock's: the state of a tenant no caller has asked for."""

NO_STATE = BudgetState(last_slot=NEVER, interactive_until=NEVER)
"""A tenant never seen, or whose state was dropped: every slot is free."""


@dataclass(frozen=True, slots=True)
class Granted:
    """The caller's request starts at ``at``; ``now`` is the store's clock when it was decided (``at >= now``)."""

    now: int
    at: int


@dataclass(frozen=True, slots=True)
class Deferred:
    """A background caller got no slot: it asks again at ``retry_at`` (``> now``, the store's clock then)."""

    now: int
    retry_at: int


Decision = Granted | Deferred


def decide(state: BudgetState, now: int, pace: Pace, priority: Priority) -> tuple[BudgetState, Decision]:
    """The decision for one caller of ``priority`` asking at ``now``, and the tenant's state after it.

    - The next slot is the earliest time from ``now`` on that is at least ``gap`` after the last slot handed out.
    - An interactive caller takes it, even ahead of ``now`` (it waits for it), and holds the budget until its slot
      plus ``window``.
    - A background caller's slot is also no earlier than the end of the interactive hold. It takes it only when it
      starts within one ``gap`` of ``now``; otherwise it is deferred to one ``gap`` before it. So background
      callers hold at most one slot ahead, and a waiting interactive caller is never behind more than one of them.
    """
    if max(state.last_slot, state.interactive_until) - now > STALE_AHEAD:
        state = NO_STATE
    slot = max(now, state.last_slot + pace.gap)
    if priority is Priority.INTERACTIVE:
        held = max(state.interactive_until, slot + pace.window)
        return BudgetState(slot, held), Granted(now, slot)
    slot = max(slot, state.interactive_until)
    if slot - now > pace.gap:
        return state, Deferred(now, slot - pace.gap)
    return BudgetState(slot, state.interactive_until), Granted(now, slot)


def sent_late(state: BudgetState, slot: int, late: int) -> BudgetState:
    """The tenant's state once the request of ``slot`` was written ``late`` microseconds after it: every slot not yet
    handed out moves back as far. Workday counts the request when it arrives, not at its slot, so the limit's worth
    of requests after it must keep a window's distance from when it was sent, not from its slot. The slots already
    handed out stay where they are: they lie between the request's slot and when it was sent, or within a gap
    after, and no window holds more for them. A state whose last slot is earlier than ``slot`` was forgotten or
    reset since: the next slot then comes a gap after the request was sent."""
    return BudgetState(max(state.last_slot, slot) + late, state.interactive_until)
