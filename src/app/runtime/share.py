"""How many tenant sessions a worker runs at once when the settings fix no number (``runtime.sessions_per_worker``
unset): an even share of the tenants served among the workers alive.

A tenant runs at most one session at a time, so the tenants served are the most sessions the workers can have to
run at once. Without a share, the worker that looks at the sessions' queue first takes every session waiting,
while the others idle: one process, its threads sharing one interpreter lock, then carries every tenant (measured
in docs/benchmarks.md: 200 tenants on 3 workers, one worker held 200 sessions, the other two none, and the
machine's cores stood a quarter idle). With each worker held to its share, every tenant can still run at once
(the shares add up to at least the tenants), and the sessions spread over the workers."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from app.settings import RuntimeSettings
from domain.tenant_status import TenantProfile


def even_share(tenants: int, workers: int) -> int:
    """The fewest sessions a worker may run for ``workers`` workers to run ``tenants`` sessions at once; at least 1,
    and ``workers`` counted as 1 when none is known alive (the caller is one)."""
    if tenants < 0 or workers < 0:
        raise ValueError(f"tenants and workers cannot be negative: {tenants}, {workers}")
    return max(1, -(-tenants // max(workers, 1)))


def sessions_per_worker(runtime: RuntimeSettings, tenants: Iterable[TenantProfile], alive: Collection[str]) -> int:
    """The most sessions each worker runs at once: ``runtime.sessions_per_worker`` where the settings fix it, or
    else the even share of the tenants served (those not paused) among the workers ``alive``."""
    if runtime.sessions_per_worker is not None:
        return runtime.sessions_per_worker
    return even_share(sum(1 for tenant in tenants if not tenant.paused), len(alive))
