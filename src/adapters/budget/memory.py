"""The request budgets of one process, in memory: for a ledger that is itself in memory, and for tests."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from adapters.budget.rule import MICROS, NO_STATE, BudgetState, Decision, Pace, Priority, decide, sent_late
from adapters.budget.store import BudgetStore, unheard


class InMemoryBudgetStore(BudgetStore):
    """A ``BudgetStore`` shared by the threads of one process, on ``clock`` (seconds; injectable for tests)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._states: dict[str, BudgetState] = {}
        self._lock = threading.Lock()

    def take(self, tenant: str, pace: Pace, priority: Priority, *, asking: Callable[[], None] = unheard) -> Decision:
        with self._lock:
            asking()
            now = math.floor(self._clock() * MICROS)
            state, decision = decide(self._states.get(tenant, NO_STATE), now, pace, priority)
            self._states[tenant] = state
            return decision

    def sent_late(self, tenant: str, slot: int, late: int) -> None:
        with self._lock:
            self._states[tenant] = sent_late(self._states.get(tenant, NO_STATE), slot, late)
