"""API ingestion: a bounded load generator on loopback posting completions to ``wlc serve`` (its own process,
outbox worker off so only ingestion is measured); accepted per second, latency percentiles, and a count of the
outbox rows, to show every accepted completion was committed before its answer."""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy

from adapters.storage import create_engine_for
from adapters.storage.api_keys import SqlApiKeyStore
from app.sandbox_settings import sandbox_toml
from bench.support import free_port
from sandbox.config import SandboxConfig

SERVER = (
    "import sys, uvicorn\n"
    "from app.http import create_app\n"
    "from app.http.wiring import build_dependencies\n"
    "from app.settings import load_settings\n"
    "from pathlib import Path\n"
    "app = create_app(build_dependencies(load_settings(Path(sys.argv[1]))), run_worker=False)\n"
    "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning', access_log=False)\n"
)


async def _load(base: str, key: str, total: int, concurrency: int) -> list[float]:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(total):
        queue.put_nowait(n)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    headers = {"Authorization": f"Bearer {key}", "x-account-id": "sandbox"}

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            n = queue.get_nowait()
            body = {
                "learning_object_external_reference": f"COURSE-{n % 50}",
                "result": {"value": "Pass"},
                "completed_at": (start + timedelta(seconds=n)).isoformat(),
            }
            sent = time.perf_counter()
            response = await client.post(
                f"{base}/unified/lms/users/{100000 + n % 997}/completions", json=body, headers=headers
            )
            if response.status_code == 202:
                latencies.append(time.perf_counter() - sent)

    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=concurrency)) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return latencies


def main(total: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        ledger = f"sqlite:///{Path(scratch) / 'ledger.sqlite3'}"
        config = Path(scratch) / "wlc.toml"
        config.write_text(sandbox_toml("http://127.0.0.1:9", SandboxConfig(), ledger), "utf-8")
        engine = create_engine_for(ledger)
        _, key = SqlApiKeyStore(engine).create(["sandbox"], datetime.now(UTC))
        port = free_port()
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(config), str(port)])  # noqa: S603
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(f"{base}/healthz", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            started = time.perf_counter()
            latencies = asyncio.run(_load(base, key, total, concurrency))
            seconds = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        with engine.connect() as connection:
            stored = connection.execute(sqlalchemy.text("select count(*) from completion_outbox")).scalar_one()
    ordered = sorted(latencies)
    print(
        json.dumps(
            {
                "accepted": len(latencies),
                "seconds": seconds,
                "per_second": len(latencies) / seconds,
                "p50_ms": statistics.median(ordered) * 1000,
                "p99_ms": ordered[int(len(ordered) * 0.99) - 1] * 1000,
                "in_outbox": stored,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
