"""``wlc worker`` processes as the runtime's tests start them: each on a ``wlc.toml``, under an executor id, its
log (stderr) kept as it comes; several started at once, then each waited on until it says it runs.

Each is forked from the tests' fork server (``tests/fork_server.py``), in the test's current directory and
environment, and runs the ``wlc`` command's own entry point, as the installed command does, less the imports."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from tests.fork_server import WlcProcess, start_wlc_reading

READY = "running the sessions of"


@dataclass
class WorkerProcess:
    executor: str
    process: WlcProcess
    lines: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def launch(cls, config: Path, executor: str) -> WorkerProcess:
        args = ["--config", str(config), "worker", "--executor-id", executor]
        process, log = start_wlc_reading(args, stdout=False)
        worker = cls(executor, process)
        threading.Thread(target=worker._read, args=(log,), daemon=True).start()
        return worker

    def _read(self, log: TextIO) -> None:
        with log:
            for line in log:
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
