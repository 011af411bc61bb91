"""What the benchmarks share: a sandbox in a process of its own, peak memory, and the results table."""

from __future__ import annotations

import contextlib
import json
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Figure:
    what: str
    how: str
    measured: str
    target: str
    met: bool | None
    baseline: str = ""


def peak_rss_mb() -> float:
    """The peak resident set of this process so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def sandbox_process(**config: object) -> Iterator[str]:
    """A sandbox serving ``SandboxConfig(**config)`` in its own process; yields its base URL."""
    port = free_port()
    faults = config.pop("faults", {})
    code = (
        "import json, sys\n"
        "from sandbox.config import SandboxConfig\n"
        "from sandbox.server import serve_forever\n"
        "config = SandboxConfig(**json.loads(sys.argv[1]))\n"
        "for name, value in json.loads(sys.argv[2]).items(): setattr(config.faults, name, value)\n"
        "serve_forever(config, port=int(sys.argv[3]))\n"
    )
    process = subprocess.Popen(  # noqa: S603 - our own sandbox, arguments we chose
        [sys.executable, "-c", code, json.dumps(config), json.dumps(faults), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{base}/lumiq/v1/members", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the sandbox process did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def run_isolated(module: str, *args: str) -> dict[str, object]:
    """Runs ``python -m module args`` and reads the JSON it prints last: each measurement in a fresh process,
    so one's peak memory is not another's."""
    done = subprocess.run(  # noqa: S603 - our own benchmark module
        [sys.executable, "-m", module, *args], capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
