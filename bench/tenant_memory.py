"""What one more tenant on the same Workday version costs in memory: Learning clients built one after another
against a sandbox (in a process of its own) serving one Learning version, each kept alive, measured after the
first (which loads and parses the WSDL) with ``tracemalloc`` (Python's allocations) and the resident set (every
allocation, lxml's included). Shared: the clients share the parsed WSDL, as the connector builds them. Unshared:
each parses its own, as every tenant did before the WSDL was shared (the baseline).

``python -m bench.tenant_memory [tenants]`` prints one JSON line: KB per added tenant, both ways."""

from __future__ import annotations

import gc
import json
import os
import sys
import tracemalloc
from collections.abc import Callable

from pydantic import SecretStr

from adapters.workday.auth.credentials import IsuCredentials
from adapters.workday.learning.client import LearningClient, build_learning_client
from adapters.workday.soap.schema_cache import SchemaCache
from bench.support import sandbox_process
from sandbox.config import SandboxConfig

TARGET_KB = 1024
"""Issue 12: under 1 MB per added tenant on the same version."""


def _rss_kb() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _per_added_tenant(tenants: int, build: Callable[[], LearningClient]) -> dict[str, float]:
    """KB per client after the first: Python's allocations and the resident set."""
    clients = [build()]
    gc.collect()
    tracemalloc.start()
    before_traced, before_rss = tracemalloc.get_traced_memory()[0], _rss_kb()
    clients.extend(build() for _ in range(tenants - 1))
    gc.collect()
    after_traced, after_rss = tracemalloc.get_traced_memory()[0], _rss_kb()
    tracemalloc.stop()
    for client in clients:
        client.close()
    added = tenants - 1
    return {"traced_kb": (after_traced - before_traced) / 1024 / added, "rss_kb": (after_rss - before_rss) / added}


def main(tenants: int) -> None:
    config = SandboxConfig(workers=10, completions=0, seed_lumiq=False, soap_rate_limit=None)
    auth = IsuCredentials(config.isu_username, config.tenant, SecretStr(config.isu_password))
    with sandbox_process(workers=10, completions=0, seed_lumiq=False, soap_rate_limit=None) as base:
        endpoint = f"{base}/ccx/service/{config.tenant}/Learning/v44.2"
        shared_cache = SchemaCache()
        shared = _per_added_tenant(tenants, lambda: build_learning_client(endpoint, auth, schemas=shared_cache))
        unshared = _per_added_tenant(tenants, lambda: build_learning_client(endpoint, auth, schemas=SchemaCache()))
    print(
        json.dumps(
            {
                "tenants": tenants,
                "shared_traced_kb_per_tenant": round(shared["traced_kb"], 1),
                "shared_rss_kb_per_tenant": round(shared["rss_kb"], 1),
                "unshared_traced_kb_per_tenant": round(unshared["traced_kb"], 1),
                "unshared_rss_kb_per_tenant": round(unshared["rss_kb"], 1),
                "target_kb": TARGET_KB,
                "met": max(shared["traced_kb"], shared["rss_kb"]) < TARGET_KB,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
