"""Delivering a tenant's due outbox entries: what a delivery session does (``deliver_due``), and the same for
every tenant at once in the calling process (``Drain``: an operator's one-off drain, or a test's)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from app.errors import ConfigurationError
from app.observability.logs import bound
from app.use_cases.deliver import Delivery, Settled
from domain.outbox import CLAIM_LEASE, OutboxEntry, backoff
from domain.ports.clock import Clock

if TYPE_CHECKING:
    from adapters.storage.completion_outbox import SqlCompletionOutbox

log = logging.getLogger(__name__)

Deliver = Callable[[OutboxEntry], Delivery]
"""``DeliverCompletion``, or what stands for it."""
Deliverer = Callable[[], Deliver]
"""Builds a tenant's ``Deliver`` (``TenantContainer.deliver_completion``); raises ``ConfigurationError`` when the
tenant's settings cannot make one."""


def deliver_due(
    outbox: SqlCompletionOutbox,
    clock: Clock,
    deliverer: Deliverer,
    tenant: str,
    limit: int,
    held: Callable[[], bool] = lambda: True,
    session: str | None = None,
) -> dict[str, int]:
    """The tenant's due entries, one at a time (the session is the tenant's only deliverer), until none is due,
    ``limit`` are done, Workday fails or cannot be reached (the next entry would find it no better: the entry's
    backoff says when it is tried again), or the worker no longer holds the session (``held``: it was fenced, and
    another worker may be delivering them). Claimed in the name of ``session``, which takes its own claims again
    when it is resumed. How many were delivered, refused, left to retry."""
    counts = {settled.value: 0 for settled in Settled}
    for _ in range(limit):
        if not held():
            break
        entry = outbox.claim_next(clock.now(), CLAIM_LEASE, accounts=[tenant], session=session)
        if entry is None:
            break
        settled = deliver_one(outbox, clock, deliverer, entry)
        counts[settled.value] += 1
        if settled is Settled.RETRYING:
            break
    return counts


def deliver_one(outbox: SqlCompletionOutbox, clock: Clock, deliverer: Deliverer, entry: OutboxEntry) -> Settled:
    """Delivers a claimed entry; one whose tenant's use case cannot be built (its settings are incomplete) is
    left pending, with the reason, and tried again after its backoff. Each failure is logged once, naming the
    tenant."""
    with bound(tenant=entry.account):
        try:
            deliver = deliverer()
        except ConfigurationError as unusable:
            log.warning("completion %s not delivered, retried later: %s", entry.id, unusable)
            now = clock.now()
            outbox.retry_later(entry.id, str(unusable), now, now + backoff(entry.attempts))
            return Settled.RETRYING
        delivery = deliver(entry)
        if delivery.settled is Settled.RETRYING:
            log.warning(
                "completion %s not delivered (attempt %s), retried later: %s", entry.id, entry.attempts, delivery.detail
            )
        elif delivery.settled is Settled.REFUSED:
            log.warning("completion %s refused for good: %s", entry.id, delivery.detail)
        return delivery.settled


class Drain:
    """Every tenant's due entries delivered now, in this process, by the same use case the sessions run."""

    def __init__(
        self,
        outbox: SqlCompletionOutbox,
        tenants: Callable[[], Collection[str]],
        deliverer: Callable[[str], Deliver],
        clock: Clock,
    ) -> None:
        self._outbox = outbox
        self._tenants = tenants
        self._deliverer = deliverer
        self._clock = clock

    def drain_once(self) -> OutboxEntry | None:
        """Claims and delivers the next due entry of any tenant; the entry as it now stands, or None."""
        entry = self._outbox.claim_next(self._clock.now(), CLAIM_LEASE, accounts=sorted(self._tenants()))
        if entry is None:
            return None
        deliver_one(self._outbox, self._clock, lambda: self._deliverer(entry.account), entry)
        return self._outbox.get(entry.id)

    def drain(self, limit: int = 10_000) -> int:
        """Delivers due entries until none is left (or ``limit``); how many it handled."""
        handled = 0
        while handled < limit and self.drain_once() is not None:
            handled += 1
        return handled
