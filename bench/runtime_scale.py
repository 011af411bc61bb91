"""The runtime at scale, on PostgreSQL (``WLC_TEST_POSTGRES_URL``), against one sandbox playing every tenant's
Workday (in a process of its own, as are the workers), each tenant limited to 5 requests a second:

``python -m bench.runtime_scale load TENANTS WORKERS SECONDS [POLLING [TICK [PER_WORKER]]]`` prints one JSON line:
every tenant with a backlog, WORKERS ``wlc worker`` processes delivering for SECONDS after the first request: each
tenant's busiest second as its Workday counted it (how many over the limit), the requests Workday accepted a second
as a share of the sum of the limits, the workers' CPU per delivered completion, and the cores the workers and the
sandbox used. The workers poll their queues every POLLING seconds and tick every TICK (by default the settings'
own), and run at most PER_WORKER sessions each (``runtime.sessions_per_worker``; by default their even share of the
tenants).

``python -m bench.runtime_scale scaling TENANTS SECONDS`` prints ``load`` with 1, 2 and 3 workers, a line each: where
the machine's cores are the bound, the requests a second follow the CPU the workers and the sandbox get
(``workers_cpu_cores``, ``bench_cpu_cores``: cores used over the phase), not the number of workers.

``python -m bench.runtime_scale idle TENANTS SECONDS [POLLING [TICK]]`` prints one JSON line: one worker with TENANTS
and nothing due, its CPU as a share of a core over SECONDS (after it settled) and its resident set; its queues polled
every POLLING seconds and its tick every TICK (by default the settings' own defaults)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet
from tests.reliability.fleet import (
    LIMIT,
    Fleet,
    own_database,
    postgres_answers,
    sandbox_config,
    tenant_names,
    usage,
)
from tests.sandbox_process import SandboxProcess

from app.settings import RuntimeSettings

SETTLE = 5.0
DEFAULT_POLLING = RuntimeSettings.model_fields["queue_polling_seconds"].default
DEFAULT_TICK = RuntimeSettings.model_fields["tick_seconds"].default


def _pid(_: object) -> int:
    return os.getpid()


def load(
    tenants: int,
    workers: int,
    seconds: float,
    polling: float = DEFAULT_POLLING,
    tick: int = DEFAULT_TICK,
    per_worker: int | None = None,
) -> dict[str, object]:
    names = tenant_names(tenants)
    backlog = int(seconds * LIMIT / 3) + 20  # more than a tenant can deliver in the time (3 requests each)
    with (
        own_database() as ledger_url,
        SandboxProcess(sandbox_config, names, learners=backlog) as sandbox,
        tempfile.TemporaryDirectory() as scratch,
    ):
        fleet = Fleet(
            sandbox,
            ledger_url,
            Path(scratch),
            names,
            tick_seconds=tick,
            queue_polling_seconds=polling,
            sessions_per_worker=per_worker,
        )
        try:
            fleet.fill(backlog)
            for n in range(workers):
                fleet.start(f"w{n + 1}")
            before = sum(u.cpu_seconds for u in fleet.usage().values())
            own_before = usage(os.getpid()).cpu_seconds
            sandbox_pid = sandbox.apply(_pid)
            sandbox_before = usage(sandbox_pid).cpu_seconds
            delivered_before = fleet.delivered()
            time.sleep(seconds)
            cpu = sum(u.cpu_seconds for u in fleet.usage().values()) - before
            own = usage(os.getpid()).cpu_seconds - own_before
            served = usage(sandbox_pid).cpu_seconds - sandbox_before
            delivered = fleet.delivered() - delivered_before
            accepted = fleet.accepted_times()
            busiest = fleet.busiest()
            refused = fleet.refused()
        finally:
            fleet.close()
    end = max(accepted, default=0.0)
    counted = [t for t in accepted if end - seconds / 2 <= t < end]  # the second half: every session under way
    rate = len(counted) / (seconds / 2)
    return {
        "tenants": tenants,
        "workers": workers,
        "seconds": seconds,
        "busiest_second": max(busiest.values()),
        "tenants_over": sum(1 for b in busiest.values() if b > LIMIT),
        "requests_per_second": rate,
        "share_of_limits": rate / (tenants * LIMIT),
        "delivered": delivered,
        "cpu_ms_per_delivered": cpu / max(delivered, 1) * 1000,
        "cpu_ms_per_request": cpu / max(len(accepted), 1) * 1000,
        "refused_429": refused,
        "workers_cpu_cores": cpu / seconds,
        "sandbox_cpu_cores": served / seconds,
        "bench_cpu_cores": own / seconds,
        "load_average": os.getloadavg()[0],
    }


def idle(tenants: int, seconds: float, polling: float = DEFAULT_POLLING, tick: int = DEFAULT_TICK) -> dict[str, object]:
    names = tenant_names(tenants)
    with (
        own_database() as ledger_url,
        SandboxProcess(sandbox_config, names, learners=1) as sandbox,
        tempfile.TemporaryDirectory() as scratch,
    ):
        fleet = Fleet(sandbox, ledger_url, Path(scratch), names, tick_seconds=tick, queue_polling_seconds=polling)
        try:
            fleet.start("w1")
            time.sleep(SETTLE)
            before = fleet.usage()["w1"]
            time.sleep(seconds)
            after = fleet.usage()["w1"]
        finally:
            fleet.close()
    return {
        "tenants": tenants,
        "seconds": seconds,
        "queue_polling_seconds": polling,
        "tick_seconds": tick,
        "cpu_share_of_core": (after.cpu_seconds - before.cpu_seconds) / seconds,
        "rss_kb": after.rss_kb,
    }


def main(argv: list[str]) -> None:
    os.environ.setdefault("WLC_SECRET_KEYS", Fernet.generate_key().decode())
    if not postgres_answers():
        print(json.dumps({"unavailable": "PostgreSQL does not answer (WLC_TEST_POSTGRES_URL)"}))
        return
    if argv[0] == "load":
        polling = float(argv[4]) if len(argv) > 4 else DEFAULT_POLLING
        tick = int(argv[5]) if len(argv) > 5 else DEFAULT_TICK
        per_worker = int(argv[6]) if len(argv) > 6 else None
        print(json.dumps(load(int(argv[1]), int(argv[2]), float(argv[3]), polling, tick, per_worker)))
    elif argv[0] == "scaling":
        for workers in (1, 2, 3):
            print(json.dumps(load(int(argv[1]), workers, float(argv[2]))), flush=True)
    else:
        polling = float(argv[3]) if len(argv) > 3 else DEFAULT_POLLING
        print(json.dumps(idle(int(argv[1]), float(argv[2]), polling, int(argv[4]) if len(argv) > 4 else DEFAULT_TICK)))


if __name__ == "__main__":
    main(sys.argv[1:])
