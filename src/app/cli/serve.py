"""``wlc serve``: the HTTP API."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from app.cli.context import CliContext


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it to this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes; one per core the API may use.")] = 1,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log a line per request (costly at high rates).")
    ] = True,
) -> None:
    """Serve the unified LMS API (OpenAPI at /docs) for every configured tenant, with the completion outbox
    worker, until Ctrl-C. Callers need a key from 'wlc keys create'. Each worker process runs its own outbox
    worker; their claims on the outbox keep every completion delivered by one of them."""
    import uvicorn

    from app.http.serving import CONFIG_VARIABLE, WORKERS_VARIABLE
    from app.settings import load_settings

    config_file = CliContext.of(ctx).config_file
    load_settings(config_file)  # refuses bad settings here, once, rather than in every worker
    if config_file is not None:
        os.environ[CONFIG_VARIABLE] = str(config_file.resolve())
    os.environ[WORKERS_VARIABLE] = str(workers)  # each process then takes its share of every tenant's rate limit
    uvicorn.run(
        "app.http.serving:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=access_log,
    )
