"""The client's CPU per Workday request of a delivery: a sandbox in a process of its own (no latency, no rate
limit of its own) and ``wlc transcripts sync`` through the application container, so every request goes the way
a delivery's does: ``Put_Learning_Imported_Content`` then ``Put_Learning_Imported_Record`` through the Learning
SOAP adapter, the tenant's request budget, and a ledger write per settled item.

The clock starts when the plan is made (the provider's feed read) and stops when the run is recorded; the CPU is
this process's (every thread's), not wall time.

``python -m bench.delivery_cpu [completions]`` prints one JSON line. To see where the CPU goes, run it under
py-spy (``py-spy record --gil -f raw -o out.txt -- python -m bench.delivery_cpu``): cProfile sees one thread only."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from app.container import build_container
from app.sandbox_settings import sandbox_settings
from bench.support import sandbox_process
from sandbox.config import SandboxConfig


def main(completions: int) -> None:
    options: dict[str, object] = {"workers": 2000, "completions": completions, "soap_rate_limit": None}
    config = SandboxConfig(**options)  # type: ignore[arg-type]
    with sandbox_process(**options) as base, tempfile.TemporaryDirectory() as scratch:
        settings = sandbox_settings(base, config, f"sqlite:///{Path(scratch) / 'ledger.sqlite3'}")
        container = build_container(settings=settings)
        container.learning_client()  # the WSDL is fetched and parsed before the clock starts
        started: dict[str, float] = {}

        def planned(_: object) -> None:
            started["cpu"], started["wall"] = time.process_time(), time.monotonic()

        result = container.sync_transcripts()(planned=planned)
        cpu, wall = time.process_time() - started["cpu"], time.monotonic() - started["wall"]
        container.shutdown_resources()
    counts = result.run.counts
    requests = counts["content_sent"] + counts["records_sent"] + counts["rejected"] + counts["failed"]
    print(
        json.dumps(
            {
                "requests": requests,
                "failed": counts["failed"],
                "cpu_ms_per_request": 1000 * cpu / requests,
                "requests_per_second": requests / wall,
                "cpu_seconds": cpu,
                "wall_seconds": wall,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
