"""The caller's lease on its work, asked before every Workday request: a worker's session runs under the lease
its worker held when the session started, and once another worker has taken that worker over (or may have), a
request of the session is refused here, before it is sent, however deep in a use case's threads it is.

A context variable, so a session sets it once and the use cases' thread pools carry it (``carry_context``);
outside a session (the API, the CLI) no lease is set and every request goes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from adapters.budget.store import BudgetUnavailable

Held = Callable[[], bool]

_lease: ContextVar[Held | None] = ContextVar("wlc_lease", default=None)


class LeaseLost(BudgetUnavailable):
    """The worker no longer holds the session this request belongs to: it is not sent. A network error to the
    Workday adapters, so the item is left for a later run, which the worker that took over sends."""


@contextmanager
def under_lease(held: Held) -> Iterator[None]:
    token = _lease.set(held)
    try:
        yield
    finally:
        _lease.reset(token)


def lease_held() -> bool:
    """Whether the caller may still send: outside a session, always."""
    held = _lease.get()
    return held is None or held()


def check_lease(tenant: str) -> None:
    if not lease_held():
        raise LeaseLost(f"a request of tenant {tenant} not sent: this worker no longer holds its session")
