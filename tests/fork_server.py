"""The one fork server the tests start ``wlc`` and their other long-lived processes from (``multiprocessing``'s, one
per test process), and ``wlc`` commands run from it.

The server has imported the CLI, the application, the API, the storage, the Workday clients and the sandbox once,
so a command, a worker or a sandbox started from it costs its own work, not the second or more a new interpreter
takes to import them (nor what the command would import lazily). It holds no thread, so nothing a test process's
threads hold is copied into the processes forked from it. It must not import ``prometheus_client``: the client
fixes at import whether it writes its samples to ``PROMETHEUS_MULTIPROC_DIR``, which ``wlc serve`` sets before it
first imports the metrics (``app.observability.metrics``, imported by the runtime's engine, so the engine is not
preloaded either: each worker imports it, a few hundredths of a second)."""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TextIO

FORKED = multiprocessing.get_context("forkserver")
FORKED.set_forkserver_preload(
    [
        "app.cli.main",
        "app.application",
        "app.container",
        "app.http.serving",
        "app.observability.logs",
        "adapters.storage",
        "adapters.workday.learning",
        "uvicorn",
        "sandbox.server",
        "tests.fork_server",
        "tests.sandbox_process",
        "tests.worker_processes",
    ]
)


class WlcProcess:
    """A ``wlc`` command's process, with the part of ``subprocess.Popen``'s interface the tests use."""

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
            raise subprocess.TimeoutExpired(self._process.name, timeout or 0)
        return code

    def send_signal(self, sig: int) -> None:
        if self._process.exitcode is None:
            with contextlib.suppress(ProcessLookupError):  # it ended since: the fork server has reaped it
                os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _opened(target: Connection | str) -> int:
    if isinstance(target, str):
        return os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    descriptor = os.dup(target.fileno())
    target.close()
    return descriptor


def _run(args: list[str], cwd: str, environment: dict[str, str], stderr: Connection | str, stdout: str | None) -> None:
    """In the forked process: ``wlc *args`` with its stdin from /dev/null, its stderr written to ``stderr`` (a
    pipe's writing end, or a file's path) and its stdout there too, or to the file ``stdout``."""
    assert "prometheus_client" not in sys.modules, "the fork server imported prometheus_client: see its docstring"
    from app.cli.main import main

    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(environment)
    errors = _opened(stderr)
    output = errors if stdout is None else _opened(stdout)
    os.dup2(errors, 2)
    os.dup2(output, 1)
    nothing = os.open(os.devnull, os.O_RDONLY)
    os.dup2(nothing, 0)
    for descriptor in {errors, output, nothing}:
        os.close(descriptor)
    # multiprocessing gave the process a stdin of its own on another descriptor, which processes started from this
    # one do not inherit (uvicorn's workers reopen the parent's); a command's stdin is descriptor 0.
    sys.stdin.close()
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - the process's, open until it ends
    sys.argv = ["wlc", *args]
    try:
        main()
    finally:
        atexit._run_exitfuncs()  # multiprocessing ends its processes without them


def _start(
    args: Sequence[str], cwd: Path | None, env: Mapping[str, str] | None, stderr: Connection | str, stdout: str | None
) -> WlcProcess:
    where = str(cwd) if cwd is not None else os.getcwd()
    environment = dict(os.environ if env is None else env)
    process = FORKED.Process(
        target=_run, args=(list(args), where, environment, stderr, stdout), name=f"wlc {' '.join(args)}"
    )
    process.start()
    return WlcProcess(process)


def start_wlc(
    args: Sequence[str],
    *,
    output: Path,
    stdout: Path | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> WlcProcess:
    """``wlc *args`` started in ``cwd`` with ``env`` (by default this process's), its stderr written to the file
    ``output``, and its stdout there too, or to the file ``stdout``."""
    return _start(args, cwd, env, str(output), None if stdout is None else str(stdout))


def start_wlc_reading(
    args: Sequence[str], *, stdout: bool = True, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> tuple[WlcProcess, TextIO]:
    """``wlc *args`` started in ``cwd`` with ``env`` (by default this process's); its stderr, and its stdout too
    unless ``stdout`` is false (then discarded), read as it comes from the stream returned, which ends when the
    process does."""
    reading, writing = FORKED.Pipe(duplex=False)
    try:
        process = _start(args, cwd, env, writing, None if stdout else os.devnull)
    finally:
        writing.close()  # the process holds the only writing end
    stream = os.fdopen(os.dup(reading.fileno()), encoding="utf-8", errors="replace")
    reading.close()
    return process, stream


def run_wlc(
    args: Sequence[str], *, timeout: float, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> tuple[int, str]:
    """``wlc *args`` run to its end: (exit code, its output, stdout and stderr together). A command still running
    after ``timeout`` seconds is killed (exit code -9)."""
    with tempfile.NamedTemporaryFile("r", encoding="utf-8", prefix="wlc-output-") as output:
        process = start_wlc(args, output=Path(output.name), cwd=cwd, env=env)
        try:
            code = process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        return code, output.read()
