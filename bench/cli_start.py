"""Time to first output of the ``wlc`` command: ``--help``, and ``membership plan`` on a tiny report."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.sandbox_settings import sandbox_toml
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer

WLC = [sys.executable, "-c", "from app.cli.main import main; main()"]


def first_output_seconds(*args: str) -> float:
    started = time.monotonic()
    process = subprocess.Popen([*WLC, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # noqa: S603
    assert process.stdout is not None
    process.stdout.read(1)
    elapsed = time.monotonic() - started
    process.communicate(timeout=60)
    return elapsed


def main(runs: int) -> None:
    config = SandboxConfig(workers=20, completions=5)
    with SandboxServer(config) as sandbox, tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "wlc.toml"
        path.write_text(sandbox_toml(sandbox.base_url, config, f"sqlite:///{Path(scratch) / 'l.db'}"), "utf-8")
        helps = [first_output_seconds("--help") for _ in range(runs)]
        plans = [first_output_seconds("--config", str(path), "membership", "plan") for _ in range(runs)]
    print(json.dumps({"help": statistics.median(helps), "plan": statistics.median(plans)}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
