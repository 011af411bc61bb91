"""``wlc worker`` processes as the runtime's tests start them: each on a ``wlc.toml``, under an executor id, its
log (stderr) kept as it comes; several started at once, then each waited on until it says it runs.

Each is forked from the tests' fork server (``tests/fork_server.py``), in the test's current directory and
environment, and runs the ``wlc`` command's own entry point, as the installed command does, less the imports."""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from tests.fork_server import FORKED

READY = "running the sessions of"


class Worker:
    """A worker process, with the part of ``subprocess.Popen``'s interface the tests use."""

    def __init__(self, process: BaseProcess) -> None:
        self._process = process

    @property
    def pid(self) -> int:
        assert self._process.pid is not None
        return self._process.pid

    def poll(self) -> int | None:
        """Its exit code (negative: the signal that ended it), or None while it runs."""
        return self._process.exitcode

    def wait(self, timeout: float | None = None) -> int:
        self._process.join(timeout)
        code = self._process.exitcode
        if code is None:
            raise subprocess.TimeoutExpired(f"wlc worker (pid {self.pid})", timeout or 0)
        return code

    def send_signal(self, sig: int) -> None:
        if self._process.exitcode is None:
            with contextlib.suppress(ProcessLookupError):  # it ended since: the fork server has reaped it
                os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _run(args: list[str], cwd: str, environment: dict[str, str], log: Connection) -> None:
    """In the forked process: ``wlc *args`` with its stderr written to ``log`` and its stdout discarded."""
    from app.cli.main import main

    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(environment)
    os.dup2(log.fileno(), 2)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    log.close()
    sys.argv = ["wlc", *args]
    try:
        main()
    finally:
        atexit._run_exitfuncs()  # multiprocessing ends its processes without them


@dataclass
class WorkerProcess:
    executor: str
    process: Worker
    lines: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def launch(cls, config: Path, executor: str) -> WorkerProcess:
        args = ["--config", str(config), "worker", "--executor-id", executor]
        reading, writing = FORKED.Pipe(duplex=False)
        process = FORKED.Process(
            target=_run, args=(args, os.getcwd(), dict(os.environ), writing), name=f"wlc worker {executor}"
        )
        process.start()
        writing.close()  # the worker holds the only writing end: the log ends when it does
        worker = cls(executor, Worker(process))
        threading.Thread(target=worker._read, args=(reading,), daemon=True).start()
        return worker

    def _read(self, log: Connection) -> None:
        with os.fdopen(os.dup(log.fileno()), encoding="utf-8", errors="replace") as lines:
            log.close()
            for line in lines:
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
