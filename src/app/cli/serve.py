"""``wlc serve``: the HTTP API."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from typing import Annotated

import typer

from app.cli.context import CliContext


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it to this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="API processes. On a SQLite ledger one is best: more share its write lock across processes.",
        ),
    ] = 1,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log a line per request (costly at high rates).")
    ] = True,
    runtime: Annotated[
        bool,
        typer.Option(
            "--worker/--no-worker",
            help="Start 'wlc worker' beside the API; without it, run 'wlc worker' yourself (on PostgreSQL, as many "
            "as you like).",
        ),
    ] = True,
) -> None:
    """Serve the unified LMS API (OpenAPI at /docs) for every configured tenant until Ctrl-C, and run the tenants'
    sessions (schedules, the completions it accepts delivered to Workday, runs started by hand) in a worker process
    of its own ('wlc worker'). Callers need a key from 'wlc keys create'. Every process shares each tenant's one
    rate limit: the API's calls first, the worker's sessions what they leave.
    The ops console is at /console: sign in with a key from 'wlc keys create --admin'."""
    # Before anything imports the metrics: every process started from here writes its samples there.
    from app.observability.metrics import MULTIPROC_VARIABLE, prepare_multiprocess_dir

    made = not os.environ.get(MULTIPROC_VARIABLE)
    samples = prepare_multiprocess_dir()
    import uvicorn

    from app.application import build_application
    from app.cli.worker import PARENT_VARIABLE
    from app.http.serving import CONFIG_VARIABLE, log_environment
    from app.settings import load_settings

    context = CliContext.of(ctx)
    config_file = context.config_file
    settings = load_settings(config_file)  # refuses bad settings here, once, rather than in every worker
    # The API's processes and the worker log as this one does.
    os.environ.update(log_environment(settings, context.log_format, context.log_level))
    context.configure_logging(settings, logging.INFO)
    # Imports the file's tenants and opens their secrets here too: a missing or wrong key is one clear error.
    build_application(settings=settings).tenants().check_readable()
    if config_file is not None:
        os.environ[CONFIG_VARIABLE] = str(config_file.resolve())
    supervised = None
    if runtime:
        command = [sys.executable, "-c", "from app.cli.main import main; main()", "worker"]
        parent = {PARENT_VARIABLE: str(os.getpid())}
        supervised = SupervisedWorker(command, {**os.environ, **parent})
        supervised.start()
    # uvicorn stops on SIGTERM, restores this handler and raises the signal again: exiting through it (rather
    # than by the default action, which kills the process) runs the ``finally`` that stops the worker.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        uvicorn.run(
            "app.http.serving:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            log_config=None,  # uvicorn's records go through the connector's logging (app.observability.logs)
            access_log=access_log,
        )
    finally:
        if supervised is not None:
            supervised.stop()
        if made:
            shutil.rmtree(samples, ignore_errors=True)


class SupervisedWorker:
    """``wlc worker`` beside the API: started with it, started again when it ends on its own (after 1 s, doubled
    each time it ends within a minute, up to a minute), and stopped with it: asked to finish the entries in hand,
    and killed if it has not within a minute."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self._command = command
        self._env = env
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._watcher = threading.Thread(target=self._watch, name="wlc-worker-watch", daemon=True)

    def start(self) -> None:
        self._process = self._spawn()
        self._watcher.start()

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._watcher.join(timeout=5)

    def _spawn(self) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(self._command, env=self._env)  # noqa: S603 - our own command
        typer.echo(f"INFO:     started wlc worker (pid {process.pid})", err=True)
        return process

    def _watch(self) -> None:
        wait = 1.0
        while True:
            with self._lock:
                process = self._process
            assert process is not None
            began = time.monotonic()
            code = process.wait()
            if self._stopping.is_set():
                return
            if code == 0:  # stopped on purpose: a Ctrl-C or SIGTERM meant for wlc serve reaches it too
                typer.echo(f"WARNING:  wlc worker (pid {process.pid}) stopped; it is not started again", err=True)
                return
            wait = 1.0 if time.monotonic() - began > 60 else wait
            typer.echo(
                f"ERROR:    wlc worker (pid {process.pid}) exited with code {code}; "
                f"completions wait in the outbox; starting it again in {wait:g} s",
                err=True,
            )
            if self._stopping.wait(wait):
                return
            wait = min(wait * 2, 60.0)
            with self._lock:
                if self._stopping.is_set():
                    return
                self._process = self._spawn()
