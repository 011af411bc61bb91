"""The shared request budget (``adapters.budget``) on each store that processes can share: what a slot costs, and
the rate several processes achieve against the limit when every tenant has a backlog.

``python -m bench.request_budget cost STORE [SLOTS]`` prints one JSON line: µs per slot, wall and CPU (this
process's), taken by one interactive caller round the tenants, each slot a transaction or a script run.

``python -m bench.request_budget rate STORE TENANTS LIMIT PROCESSES SECONDS LAYOUT`` prints one JSON line: the slots
granted to background callers with a backlog (one thread per tenant in each process that works on it) during
SECONDS: the rate (each tenant's from its first to its last slot, all but the first and last second counted, summed)
and, per tenant, its busiest one-second window. LAYOUT is
``partitioned`` (each tenant worked on by one process, as sessions run: one per tenant across workers) or ``shared``
(every process on every tenant, 4 threads each; and halfway, a fourth process makes 10 interactive requests one
after the other, as an upsert does: their rate against the limit, and how long each waited for its slot).

``python -m bench.request_budget`` runs every figure on every store and prints them. STORE is ``sqlite`` (a file),
``postgresql`` (``WLC_BENCH_POSTGRES_URL``, a schema of its own) or ``redis`` (``WLC_BENCH_REDIS_URL``)."""

from __future__ import annotations

import bisect
import contextlib
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError

from adapters.budget import BudgetUnavailable, Pace, Priority, TenantBudget
from adapters.budget.redis_store import RedisBudgetStore
from adapters.budget.rule import MICROS
from adapters.budget.store import BudgetStore
from adapters.budget.stores import open_budget_store

POSTGRES_URL = os.environ.get("WLC_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("WLC_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
STORES = ("sqlite", "postgresql", "redis")
SHARED_THREADS = 4
INTERACTIVE_SLOTS = 10


@contextlib.contextmanager
def store_at(kind: str) -> Iterator[str]:
    """An empty store of ``kind``, for this run only: its address, for ``open_store``."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as scratch:
            yield f"sqlite:///{Path(scratch) / 'budget.sqlite3'}"
    elif kind == "postgresql":
        schema = f"wlc_bench_{uuid.uuid4().hex[:12]}"
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        yield f"{REDIS_URL}#wlc:bench:{uuid.uuid4().hex[:12]}:"


def unavailable(kind: str) -> str | None:
    """Why the store of ``kind`` cannot be benchmarked here (its server does not answer), or ``None``."""
    try:
        with store_at(kind) as address:
            open_store(address).take("probe", Pace.of(1000), Priority.INTERACTIVE)
    except (BudgetUnavailable, SQLAlchemyError) as error:
        return f"{kind} does not answer ({type(error).__name__})"
    return None


def open_store(address: str) -> BudgetStore:
    if address.startswith("redis"):
        url, _, prefix = address.partition("#")
        return RedisBudgetStore.from_url(url, prefix=prefix)
    return open_budget_store(address, address)


def cost(kind: str, slots: int) -> dict[str, object]:
    with store_at(kind) as address:
        store = open_store(address)
        budgets = [
            TenantBudget(store, f"tenant-{n}", 1000, Priority.INTERACTIVE, sleep=lambda _: None) for n in range(200)
        ]
        for budget in budgets:  # each tenant's row or key made
            budget.take()
        wall, cpu = time.perf_counter(), time.process_time()
        for n in range(slots):
            budgets[n % len(budgets)].take()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"store": kind, "slots": slots, "wall_us": wall / slots * 1e6, "cpu_us": cpu / slots * 1e6}


def _work(
    address: str, tenants: list[str], threads: int, limit: int, start_at: float, seconds: float, out: str
) -> None:
    store = open_store(address)
    budgets = [TenantBudget(store, tenant, limit, Priority.BACKGROUND) for tenant in tenants]
    taken: dict[str, list[int]] = {tenant: [] for tenant in tenants}
    end = start_at + seconds

    def take(budget: TenantBudget) -> None:
        slots = taken[budget.tenant]
        while time.time() < end:
            slots.append(budget.take().at)

    workers = [threading.Thread(target=take, args=(b,)) for b in budgets for _ in range(threads)]
    time.sleep(max(0.0, start_at - time.time()))
    cpu = time.process_time()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    cpu = time.process_time() - cpu
    Path(out).write_text(json.dumps({"taken": taken, "cpu_s": cpu}), encoding="utf-8")


def _interactive(address: str, tenant: str, limit: int, at: float, count: int, out: str) -> None:
    """At ``at``, ``count`` interactive requests one after the other (an upsert's), amid the backlog."""
    budget = TenantBudget(open_store(address), tenant, limit, Priority.INTERACTIVE)
    time.sleep(max(0.0, at - time.time()))
    slots = [budget.take() for _ in range(count)]
    Path(out).write_text(json.dumps([[s.asked, s.at] for s in slots]), encoding="utf-8")


def _busiest_second(slots: list[int]) -> int:
    ordered = sorted(slots)
    return max((bisect.bisect_left(ordered, at + MICROS) - n for n, at in enumerate(ordered)), default=0)


def _rate(slots: list[int]) -> float:
    """Slots a second from the first to the last of ``slots``: a tenant's rate while it had a backlog, free of
    where the first and last fall in the seconds counted."""
    ordered = sorted(slots)
    return (len(ordered) - 1) / (ordered[-1] - ordered[0]) * MICROS if len(ordered) > 1 else 0.0


def rate(kind: str, tenants: int, limit: int, processes: int, seconds: float, layout: str) -> dict[str, object]:
    names = [f"tenant-{n}" for n in range(tenants)]
    if layout == "partitioned":
        shares, threads = [names[p::processes] for p in range(processes)], 1
    else:
        shares, threads = [names] * processes, SHARED_THREADS
    spawn = multiprocessing.get_context("spawn")
    with store_at(kind) as address, tempfile.TemporaryDirectory() as scratch:
        start_at = time.time() + 4.0  # every process started and its store open by then
        outs = [str(Path(scratch) / f"{p}.json") for p in range(processes)]
        runs = [
            spawn.Process(target=_work, args=(address, share, threads, limit, start_at, seconds, out))
            for share, out in zip(shares, outs, strict=True)
        ]
        upsert = str(Path(scratch) / "interactive.json")
        if layout == "shared":
            amid = (address, names[0], limit, start_at + seconds / 2 - 1, INTERACTIVE_SLOTS, upsert)
            runs.append(spawn.Process(target=_interactive, args=amid))
        for run in runs:
            run.start()
        for run in runs:
            run.join()
        results = [json.loads(Path(out).read_text(encoding="utf-8")) for out in outs]
        interactive = json.loads(Path(upsert).read_text(encoding="utf-8")) if layout == "shared" else []
    slots: dict[str, list[int]] = {name: [] for name in names}
    for result in results:
        for name, ats in result["taken"].items():
            slots[name] += ats
    slots[names[0]] += [at for _, at in interactive]
    counted_from, counted_to = (start_at + 1) * MICROS, (start_at + seconds - 1) * MICROS
    achieved = sum(_rate([at for at in ats if counted_from <= at < counted_to]) for ats in slots.values())
    busiest = {name: _busiest_second(ats) for name, ats in slots.items()}
    taken = sum(len(ats) for ats in slots.values())
    return {
        "store": kind,
        "tenants": tenants,
        "limit": limit,
        "processes": processes,
        "layout": layout,
        "achieved_per_second": achieved,
        "share_of_limits": achieved / (tenants * limit),
        "busiest_second": max(busiest.values()),
        "tenants_over": sum(1 for b in busiest.values() if b > limit),
        "cpu_us_per_slot": sum(r["cpu_s"] for r in results) / max(taken, 1) * 1e6,
        **(_amid(interactive, limit) if interactive else {}),
    }


def _amid(interactive: list[list[int]], limit: int) -> dict[str, float]:
    """How the interactive requests fared amid the backlog: their rate against the limit, and their waits."""
    waits = [(at - asked) / 1000 for asked, at in interactive]
    return {
        "interactive_share_of_limit": _rate([at for _, at in interactive]) / limit,
        "interactive_first_wait_ms": waits[0],
        "interactive_longest_later_wait_ms": max(waits[1:]),
    }


def main(argv: list[str]) -> None:
    if argv and argv[0] == "unavailable":
        print(json.dumps({"store": argv[1], "unavailable": unavailable(argv[1])}))
        return
    if argv and argv[0] == "cost":
        print(json.dumps(cost(argv[1], int(argv[2]) if len(argv) > 2 else 3000)))
        return
    if argv and argv[0] == "rate":
        kind, tenants, limit, processes, seconds, layout = argv[1:7]
        print(json.dumps(rate(kind, int(tenants), int(limit), int(processes), float(seconds), layout)))
        return
    for kind in STORES:
        if (reason := unavailable(kind)) is not None:
            print(json.dumps({"store": kind, "unavailable": reason}))
            continue
        print(json.dumps(cost(kind, 3000)))
        print(json.dumps(rate(kind, 1, 5, 3, 12, "shared")))
        print(json.dumps(rate(kind, 200, 5, 3, 12, "partitioned")))


if __name__ == "__main__":
    main(sys.argv[1:])
