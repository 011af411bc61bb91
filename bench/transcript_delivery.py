"""Transcript delivery against a sandbox answering in ``latency`` ms and allowing ``limit`` requests a second:
the achieved rate, the busiest second Workday saw, and the sequential rate (one request after another)."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import httpx

from app.container import build_container
from app.sandbox_settings import sandbox_settings
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer


def main(completions: int, latency_ms: int, limit: int) -> None:
    config = SandboxConfig(workers=2000, completions=completions, soap_rate_limit=limit)
    config.faults.latency_ms = latency_ms
    config.faults.only = "workday"
    with SandboxServer(config) as sandbox, tempfile.TemporaryDirectory() as scratch:
        settings = sandbox_settings(sandbox.base_url, config, f"sqlite:///{Path(scratch) / 'ledger.sqlite3'}")
        container = build_container(settings=settings)
        container.learning_client()  # the WSDL is fetched before the clock starts
        started = time.monotonic()
        result = container.sync_transcripts()()
        seconds = time.monotonic() - started
        container.shutdown_resources()
        counts = result.run.counts
        requests = counts["content_sent"] + counts["records_sent"] + counts["rejected"]
        figures = {
            "requests": requests,
            "seconds": seconds,
            "rate": requests / seconds,
            "failed": counts["failed"],
            "busiest_second": sandbox.soap_limiter.busiest_window(config.tenant),
            "throttled": sandbox.soap_limiter.refused(config.tenant),
            "sequential_rate": _sequential_rate(sandbox.token_url, config, 5),
        }
    print(json.dumps(figures))


def _sequential_rate(token_url: str, config: SandboxConfig, calls: int) -> float:
    """Requests a second one after another, each answered after the same latency: about 1/latency."""
    form = {"grant_type": "refresh_token", "refresh_token": config.refresh_token}
    started = time.monotonic()
    with httpx.Client(timeout=30, auth=(config.client_id, config.client_secret)) as client:
        for _ in range(calls):
            client.post(token_url, data=form).raise_for_status()
    return calls / (time.monotonic() - started)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
