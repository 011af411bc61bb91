"""``wlc deliver``: the completion outbox delivered to Workday, in a process of its own."""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import Annotated

import typer

from app.cli.context import CliContext


def deliver(
    ctx: typer.Context,
    api_workers: Annotated[
        int,
        typer.Option(
            min=0,
            max=64,
            help="API processes sharing each tenant's rate limit with this one ('wlc serve' passes its --workers).",
        ),
    ] = 0,
) -> None:
    """Deliver the completion outbox to Workday until Ctrl-C or SIGTERM. 'wlc serve' starts this beside its API
    processes; run it yourself after 'wlc serve --no-delivery' (on another machine, say). Several may run on one
    ledger: their claims share the work and keep each completion to one of them."""
    from app.http.serving import PARENT_VARIABLE, deliver_until, stop_with_parent
    from app.settings import load_settings

    settings = load_settings(CliContext.of(ctx).config_file)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    parent = os.environ.get(PARENT_VARIABLE)
    if parent:
        stop_with_parent(stop, int(parent))
    logging.getLogger("wlc.deliver").info("delivering the completion outbox of %s", ", ".join(settings.tenants))
    deliver_until(stop, settings, api_workers)
