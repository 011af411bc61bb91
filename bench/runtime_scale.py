"""The runtime idle at scale: one ``wlc worker`` on PostgreSQL with N sandbox tenants configured and nothing due,
at the default ``[runtime]`` settings (a tick every 5 s, the queue polled every 1 s).
Prints, as JSON, the worker's CPU as a share of one core over ``SECONDS`` once it has settled, and its resident set
(both from ``/proc``). ``python -m bench.runtime_scale idle TENANTS SECONDS``."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet
from tests.reliability.fleet import Fleet, own_database, postgres_answers, sandbox_config, tenant_names, usage

from sandbox.server import SandboxServer

SETTLE_SECONDS = 5.0


def idle(tenants: int, seconds: float) -> dict[str, object]:
    names = tenant_names(tenants)
    with (
        tempfile.TemporaryDirectory() as scratch,
        own_database() as ledger_url,
        SandboxServer(sandbox_config(names, learners=1)) as sandbox,
    ):
        fleet = Fleet(sandbox, ledger_url, Path(scratch), names, tick_seconds=5, queue_polling_seconds=1.0)
        try:
            pid = fleet.start("w1")
            time.sleep(SETTLE_SECONDS)
            before, started = usage(pid), time.monotonic()
            time.sleep(seconds)
            after, elapsed = usage(pid), time.monotonic() - started
            return {
                "tenants": tenants,
                "cpu_share_of_core": (after.cpu_seconds - before.cpu_seconds) / elapsed,
                "rss_kb": after.rss_kb,
            }
        finally:
            fleet.close()


def main(argv: list[str]) -> None:
    if not postgres_answers():
        print(json.dumps({"skipped": "PostgreSQL does not answer (WLC_TEST_POSTGRES_URL)"}))
        return
    os.environ.setdefault("WLC_SECRET_KEYS", Fernet.generate_key().decode())
    mode, tenants, seconds = argv
    assert mode == "idle", mode
    print(json.dumps(idle(int(tenants), float(seconds))))


if __name__ == "__main__":
    main(sys.argv[1:])
