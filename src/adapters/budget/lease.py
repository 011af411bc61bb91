"""The caller's lease on its work, asked before every Workday request: a worker's session runs under the lease
its worker held when the session started, and once another worker has taken that worker over (or may have), a
request of the session is refused here, before it is sent, however deep in a use case's threads it is.

A context variable, so a session sets it once and the use cases' thread pools carry it (``carry_context``);
outside a session (the API, the CLI) no lease is set and every request goes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from adapters.budget.store import BudgetUnavailable

Held = Callable[[], bool]


@dataclass(slots=True)
class Lease:
    """A session's lease and how many of its requests it refused (``refused``), from any of its threads."""

    held: Held
    refused: int = 0


_lease: ContextVar[Lease | None] = ContextVar("wlc_lease", default=None)


class LeaseLost(BudgetUnavailable):
    """The worker no longer holds the session this request belongs to: it is not sent. A network error to the
    Workday adapters, so the item is left for a later run, which the worker that took over sends."""


@contextmanager
def under_lease(held: Held) -> Iterator[Lease]:
    lease = Lease(held)
    token = _lease.set(lease)
    try:
        yield lease
    finally:
        _lease.reset(token)


def lease_held() -> bool:
    """Whether the caller may still send: outside a session, always."""
    lease = _lease.get()
    return lease is None or lease.held()


def check_lease(tenant: str) -> None:
    lease = _lease.get()
    if lease is not None and not lease.held():
        lease.refused += 1  # threads may race to count; it is read as whether any was refused
        raise LeaseLost(f"a request of tenant {tenant} not sent: this worker no longer holds its session")
