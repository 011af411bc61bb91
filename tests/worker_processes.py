"""``wlc worker`` processes as the runtime's tests start them: each on a ``wlc.toml``, under an executor id, its
log (stderr) kept as it comes; several started at once, then each waited on until it says it runs."""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

WLC = [sys.executable, "-c", "from app.cli.main import main; main()"]
READY = "running the sessions of"


@dataclass
class WorkerProcess:
    executor: str
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def launch(cls, config: Path, executor: str) -> WorkerProcess:
        command = [*WLC, "--config", str(config), "worker", "--executor-id", executor]
        process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)  # noqa: S603
        worker = cls(executor, process)
        threading.Thread(target=worker._read, daemon=True).start()
        return worker

    def _read(self) -> None:
        for line in self.process.stderr or ():
            self.lines.append(line)
            if READY in line:
                self.ready.set()


def start_workers(configs: dict[str, Path], seconds: float) -> list[WorkerProcess]:
    """A worker for each executor id of ``configs`` on its ``wlc.toml``, started together; returned once each says
    it runs (fails with its log if one has not within ``seconds``)."""
    started = [WorkerProcess.launch(config, executor) for executor, config in configs.items()]
    for worker in started:
        assert worker.ready.wait(seconds), f"{worker.executor} did not start:\n{''.join(worker.lines)}"
    return started
