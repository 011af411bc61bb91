"""Where the tenants' request budgets are kept: the port every store implements, and its one error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

import httpx

from adapters.budget.rule import Decision, Pace, Priority


class BudgetUnavailable(httpx.NetworkError):
    """Raised when the store cannot be asked (Redis or the database does not answer, or fails). It is an
    ``httpx.NetworkError`` because it stops a request from being sent, as a network that fails would: the Workday
    adapters treat it so (retried with backoff, then the run or the delivery fails and is tried again later), so no
    request goes out unbudgeted and none is lost."""


def unheard() -> None:
    """What a store's ``take`` tells of its asking when nobody listens."""


@runtime_checkable
class BudgetStore(Protocol):
    """The tenants' budgets, shared by every process using the same store (the same database or Redis)."""

    def take(self, tenant: str, pace: Pace, priority: Priority, *, asking: Callable[[], None] = unheard) -> Decision:
        """Decides one caller's request of ``tenant`` by ``rule.decide``, on the store's clock, atomically with
        every other ``take`` of the tenant from any process, and keeps the tenant's state it leaves. ``asking`` is
        called right before the question that reads the store's clock goes out, after any wait for a connection:
        the caller's own clock then is the earliest its slot's ``now`` can be. Raises ``BudgetUnavailable``."""
        ...

    def sent_late(self, tenant: str, slot: int, late: int) -> None:
        """Keeps the tenant's state as ``rule.sent_late`` leaves it (the request of ``slot`` was written ``late``
        microseconds after it), atomically with every ``take`` of the tenant. Raises ``BudgetUnavailable``."""
        ...
