"""``wlc serve``: the HTTP API."""

from __future__ import annotations

import os
import subprocess
import sys
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
    delivery: Annotated[
        bool,
        typer.Option(
            "--delivery/--no-delivery",
            help="Start 'wlc deliver' beside the API; without it, run 'wlc deliver' yourself.",
        ),
    ] = True,
) -> None:
    """Serve the unified LMS API (OpenAPI at /docs) for every configured tenant until Ctrl-C, and deliver the
    completions it accepts to Workday from a process of its own ('wlc deliver'). Callers need a key from 'wlc
    keys create'. The API's processes take a fifth of each tenant's rate limit, delivery the rest."""
    import uvicorn

    from app.http.serving import CONFIG_VARIABLE, PARENT_VARIABLE, WORKERS_VARIABLE
    from app.settings import load_settings

    config_file = CliContext.of(ctx).config_file
    load_settings(config_file)  # refuses bad settings here, once, rather than in every worker
    if config_file is not None:
        os.environ[CONFIG_VARIABLE] = str(config_file.resolve())
    os.environ[WORKERS_VARIABLE] = str(workers)  # each process then takes its share of every tenant's rate limit
    deliverer = None
    if delivery:
        command = [sys.executable, "-c", "from app.cli.main import main; main()", "deliver", "--api-workers"]
        parent = {PARENT_VARIABLE: str(os.getpid())}
        deliverer = subprocess.Popen([*command, str(workers)], env={**os.environ, **parent})  # noqa: S603
    try:
        uvicorn.run(
            "app.http.serving:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            access_log=access_log,
        )
    finally:
        if deliverer is not None:
            deliverer.terminate()  # it finishes the entries in hand
            try:
                deliverer.wait(timeout=60)
            except subprocess.TimeoutExpired:
                deliverer.kill()
