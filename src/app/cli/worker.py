"""``wlc worker``: runs tenant sessions (syncs, reconciles, deliveries of the outbox) and the schedules' tick."""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import Annotated

import typer

from app.cli.context import CliContext

PARENT_VARIABLE = "WLC_WORKER_PARENT"
"""Set by ``wlc serve`` for the worker it starts: the pid whose end also ends the worker, so a ``wlc serve``
killed outright leaves no worker behind."""


def worker(
    ctx: typer.Context,
    executor_id: Annotated[
        str | None,
        typer.Option(
            envvar="WLC_RUNTIME__EXECUTOR_ID",
            help="This worker's stable name (default: runtime.executor_id, else the host's name): started again "
            "under it, a worker resumes the sessions it was running.",
        ),
    ] = None,
) -> None:
    """Run tenant sessions until Ctrl-C or SIGTERM: each tenant's schedules, its outbox's deliveries, and the runs
    started by hand. On PostgreSQL run as many as you like, each with its own --executor-id; on SQLite exactly
    one ('wlc serve' starts it)."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    from app.application import build_application
    from app.runtime.engine import Engine

    context = CliContext.of(ctx)
    application = build_application(context.config_file)
    context.configure_logging(application.settings(), logging.INFO)
    log = logging.getLogger("wlc.worker")
    application.tenants().check_readable()
    engine = Engine(application, executor_id)
    engine.start()
    log.info("worker %s running the sessions of %d tenants", engine.executor_id, len(application.tenants().names))
    parent = os.environ.get(PARENT_VARIABLE)
    try:
        while not stop.wait(0.5):
            if parent and os.getppid() != int(parent):
                break
    finally:
        engine.stop()
        application.tenants().close()
        log.info("worker %s stopped", engine.executor_id)
