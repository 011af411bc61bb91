"""``wlc serve``: the HTTP API."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.context import CliContext


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it to this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
) -> None:
    """Serve the unified LMS API (OpenAPI at /docs) for every configured tenant, with the completion outbox
    worker, until Ctrl-C. Callers need a key from 'wlc keys create'."""
    import uvicorn

    from app.http import create_app
    from app.http.wiring import build_dependencies
    from app.settings import load_settings

    settings = load_settings(CliContext.of(ctx).config_file)
    uvicorn.run(create_app(build_dependencies(settings)), host=host, port=port, log_level="info")
