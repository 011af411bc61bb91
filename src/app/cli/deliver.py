"""``wlc deliver``: the completion outbox delivered to Workday, in a process of its own."""

from __future__ import annotations

import logging
import os
import signal

import typer

from app.cli.context import CliContext


def deliver(ctx: typer.Context) -> None:
    """Deliver the completion outbox to Workday until Ctrl-C or SIGTERM. 'wlc serve' starts this beside its API
    processes; run it yourself after 'wlc serve --no-delivery' (on another machine, say), once per ledger. It
    takes what the API's and the CLI's Workday calls leave of each tenant's rate limit."""
    signalled: list[int] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        # Only a note: the main loop looks at it; a signal handler must not take locks the main thread may hold.
        # Set first, so that a stop asked for while the process starts is a clean stop too.
        signal.signal(signum, lambda number, _: signalled.append(number))
    from app.http.serving import PARENT_VARIABLE, deliver_until, parent_gone
    from app.settings import load_settings

    settings = load_settings(CliContext.of(ctx).config_file)
    CliContext.of(ctx).configure_logging(settings, logging.INFO)
    parent = os.environ.get(PARENT_VARIABLE)
    orphaned = parent_gone(int(parent)) if parent else lambda: False
    log = logging.getLogger("wlc.deliver")
    log.info("delivering the completion outbox of %s", ", ".join(settings.tenants))
    deliver_until(lambda: bool(signalled) or orphaned(), settings)
    log.info("stopped delivering")
