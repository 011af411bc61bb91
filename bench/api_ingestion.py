"""API ingestion: a bounded load generator on loopback posting completions to ``wlc serve --workers N`` (its own
processes), either as fast as it answers (capacity) or at a fixed rate (latency at that load); accepted per
second, latency percentiles, and a count of the outbox rows, to show every accepted completion was committed
before its answer. ``wlc deliver`` delivers them to the Workday sandbox (a process of its own, at its rate limit)
while the posts arrive, as in service: the courses are published first and the learners are the sandbox's
workers, so each delivery takes Workday's real path, and its claims and settlements share the ledger with the
posts. An answer other than 202 is counted, never dropped."""

from __future__ import annotations

import asyncio
import json
import math
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
from bench.support import free_port, sandbox_process
from sandbox.config import SandboxConfig
from sandbox.population import worker_at

WLC = [sys.executable, "-c", "from app.cli.main import main; main()"]


async def _post(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, port: int, key: str, n: int) -> int:
    """Posts completion ``n`` on an open keep-alive connection; returns the status."""
    body = json.dumps(
        {
            "learning_object_external_reference": f"BENCH-{n % COURSES}",
            "result": {"value": "Pass"},
            "completed_at": (_START + timedelta(seconds=n)).isoformat(),
        }
    ).encode()
    head = (
        f"POST /unified/lms/users/{LEARNERS[n % len(LEARNERS)]}/completions HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\nAuthorization: Bearer {key}\r\nx-account-id: sandbox\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    writer.write(head + body)
    status = int((await reader.readuntil(b"\r\n")).split()[1])
    length = 0
    while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


_START = datetime(2026, 1, 1, tzinfo=UTC)
POPULATION = SandboxConfig(workers=1000, completions=0)
LEARNERS = [worker_at(POPULATION, n).employee_id for n in range(997)]
COURSES = 10
"""Courses published in the sandbox before the run, so each delivery is Workday's real path: the course found,
the learner's enrollment listed, then created or updated."""


def course(n: int) -> dict[str, object]:
    return {
        "title": f"Bench course {n}",
        "external_reference": f"BENCH-{n}",
        "description": "A course the ingestion benchmark completes.",
        "languages": [{"value": "en_GB"}],
        "content_url": f"https://provider.example.com/courses/bench-{n}",
        "active": True,
        "duration": "PT30M",
        "categories": [{"name": "Sales"}],
    }


async def _closed_loop(port: int, key: str, total: int, connections: int) -> list[tuple[int, float]]:
    """Capacity: ``connections`` keep-alive connections, each posting its next completion as soon as the last is
    answered, until ``total`` are sent. A plain HTTP/1.1 client on asyncio streams: a general-purpose client
    costs more CPU per request than the server under test, and the two share the same cores."""
    numbers = iter(range(total))
    latencies: list[tuple[int, float]] = []

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for n in numbers:
                sent = time.perf_counter()
                status = await _post(reader, writer, port, key, n)
                latencies.append((n, time.perf_counter() - sent) if status == 202 else (n, -float(status)))
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(connections)))
    return latencies


async def _open_loop(port: int, key: str, rate: float, total: int, connections: int) -> list[tuple[int, float]]:
    """Latency at a given load: completions arrive on a fixed schedule, ``rate`` a second, whatever the server
    does, and each is sent on the first free one of ``connections``. A latency counts from the arrival's
    scheduled time, so a completion that waited in the generator for a connection, because the server was slow,
    counts its wait against the server (a closed loop would hide it: a slow answer delays the next arrival)."""
    arrivals: asyncio.Queue[tuple[int, float] | None] = asyncio.Queue()
    latencies: list[tuple[int, float]] = []

    async def schedule() -> None:
        start = time.perf_counter()
        for n in range(total):
            due = start + n / rate
            if (ahead := due - time.perf_counter()) > 0:
                await asyncio.sleep(ahead)
            arrivals.put_nowait((n, due))
        for _ in range(connections):
            arrivals.put_nowait(None)

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while (arrival := await arrivals.get()) is not None:
                n, due = arrival
                status = await _post(reader, writer, port, key, n)
                latencies.append((n, time.perf_counter() - due) if status == 202 else (n, -float(status)))
        finally:
            writer.close()

    await asyncio.gather(schedule(), *(connection() for _ in range(connections)))
    return latencies


WARM_UP_SECONDS = 2.0
"""At a fixed rate, the first seconds' latencies are reported apart: they include the process's first use of
each path (the first key check, the Learning client's WSDL parsed for the first delivery)."""


def main(mode: str, load: float, total: int, connections: int, workers: int) -> None:
    """``closed``: ``total`` posts as fast as ``connections`` connections allow (``load`` unused). ``open``:
    ``total`` posts arriving at ``load`` a second, on at most ``connections`` connections."""
    with tempfile.TemporaryDirectory() as scratch, sandbox_process(workers=1000, completions=0) as workday:
        ledger = f"sqlite:///{Path(scratch) / 'ledger.sqlite3'}"
        config = Path(scratch) / "wlc.toml"
        config.write_text(sandbox_toml(workday, POPULATION, ledger), "utf-8")
        courses = Path(scratch) / "courses.json"
        courses.write_text(json.dumps([course(n) for n in range(COURSES)]), "utf-8")
        upsert = [*WLC, "--config", str(config), "content", "upsert", str(courses)]
        subprocess.run(upsert, check=True, capture_output=True)  # noqa: S603
        engine = create_engine_for(ledger)
        _, key = SqlApiKeyStore(engine).create(["sandbox"], datetime.now(UTC))
        port = free_port()
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
            if mode == "closed":
                latencies = asyncio.run(_closed_loop(port, key, total, connections))
            else:
                latencies = asyncio.run(_open_loop(port, key, load, total, connections))
            seconds = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        with engine.connect() as connection:
            stored = connection.execute(sqlalchemy.text("select count(*) from completion_outbox")).scalar_one()
            by_status = sqlalchemy.text("select status, count(*) from completion_outbox group by status")
            settled = {str(status): int(count) for status, count in connection.execute(by_status).all()}
    warm_up = min(int(load * WARM_UP_SECONDS), total // 5) if mode == "open" else 0
    answered = [(n, latency) for n, latency in latencies if latency >= 0]
    measured = sorted(latency for n, latency in answered if n >= warm_up)
    first = sorted(latency for n, latency in answered if n < warm_up)
    refused = sorted({int(-latency) for _, latency in latencies if latency < 0})
    print(
        json.dumps(
            {
                "mode": mode,
                "offered_per_second": load if mode == "open" else None,
                "connections": connections,
                "workers": workers,
                "posted": total,
                "accepted": len(answered),
                "not_accepted": len(latencies) - len(answered),
                "not_accepted_statuses": refused,
                "seconds": seconds,
                "per_second": len(answered) / seconds,
                "p50_ms": statistics.median(measured) * 1000,
                "p99_ms": _percentile(measured, 0.99) * 1000,
                "max_ms": measured[-1] * 1000,
                "warm_up_seconds": warm_up / load if warm_up else 0,
                "warm_up_p99_ms": _percentile(first, 0.99) * 1000 if first else None,
                "in_outbox": stored,
                "outbox_by_status": settled,
            }
        )
    )


def _percentile(ordered: list[float], fraction: float) -> float:
    """The nearest-rank percentile of ``ordered`` (sorted)."""
    return ordered[max(0, math.ceil(len(ordered) * fraction) - 1)]


if __name__ == "__main__":
    mode, load, total, connections, workers = sys.argv[1:6]
    main(mode, float(load), int(total), int(connections), int(workers))
