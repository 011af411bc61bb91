"""API ingestion: a bounded load generator on loopback posting completions to ``wlc serve --workers N`` (its own
processes; their outbox workers have no Workday to reach, so only ingestion is measured); accepted per second,
latency percentiles, and a count of the outbox rows, to show every accepted completion was committed before its
answer."""

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

WLC = [sys.executable, "-c", "from app.cli.main import main; main()"]


async def _post_all(port: int, key: str, numbers: asyncio.Queue[int], latencies: list[float]) -> None:
    """One keep-alive connection posting completions until ``numbers`` is empty. A plain HTTP/1.1 client on
    asyncio streams: a general-purpose client costs more CPU per request than the server under test, and
    the two share the same cores."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        while not numbers.empty():
            n = numbers.get_nowait()
            body = json.dumps(
                {
                    "learning_object_external_reference": f"COURSE-{n % 50}",
                    "result": {"value": "Pass"},
                    "completed_at": (start + timedelta(seconds=n)).isoformat(),
                }
            ).encode()
            head = (
                f"POST /unified/lms/users/{100000 + n % 997}/completions HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{port}\r\nAuthorization: Bearer {key}\r\nx-account-id: sandbox\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode()
            sent = time.perf_counter()
            writer.write(head + body)
            status = int((await reader.readuntil(b"\r\n")).split()[1])
            length = 0
            while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            if status == 202:
                latencies.append(time.perf_counter() - sent)
    finally:
        writer.close()


async def _load(port: int, key: str, total: int, concurrency: int) -> list[float]:
    numbers: asyncio.Queue[int] = asyncio.Queue()
    for n in range(total):
        numbers.put_nowait(n)
    latencies: list[float] = []
    await asyncio.gather(*(_post_all(port, key, numbers, latencies) for _ in range(concurrency)))
    return latencies


def main(total: int, concurrency: int, workers: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        ledger = f"sqlite:///{Path(scratch) / 'ledger.sqlite3'}"
        config = Path(scratch) / "wlc.toml"
        config.write_text(sandbox_toml("http://127.0.0.1:9", SandboxConfig(), ledger), "utf-8")
        engine = create_engine_for(ledger)
        _, key = SqlApiKeyStore(engine).create(["sandbox"], datetime.now(UTC))
        port = free_port()
        # The outbox workers have no Workday to reach (port 9): only ingestion is measured.
        serve = [*WLC, "--config", str(config), "serve", "--port", str(port), "--workers", str(workers)]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        server = subprocess.Popen([*serve, "--no-access-log"], **quiet)  # type: ignore[call-overload]  # noqa: S603
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(f"{base}/healthz", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                raise SystemExit(f"wlc serve did not answer at {base}")
            started = time.perf_counter()
            latencies = asyncio.run(_load(port, key, total, concurrency))
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
                "workers": workers,
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
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
