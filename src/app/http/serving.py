"""How ``wlc serve`` runs: the API in ``--workers`` processes, which only accept and answer, and the outbox's
delivery to Workday in one process of its own (``wlc deliver``, which ``wlc serve`` starts unless told not to).

Delivery is kept out of the API's processes because it is CPU work in Python (building and parsing each SOAP
envelope) on threads that would share the interpreter with the API's event loop: at 1,000 posts a second, the
API's p99 had a median of 46.5 ms over seven runs with delivery on its threads and 27.1 ms over nine with it
elsewhere (docs/benchmarks.md). Each tenant's Learning API budget (``learning.rate_limit``) is one, shared by every
process (``adapters.budget``): the API's calls (content, deletions, reads) are interactive and go first, the
outbox's deliveries are background and take what they leave."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI

from adapters.budget.rule import Priority
from app.application import Application, build_application
from app.http.app import create_app
from app.http.outbox_worker import OutboxWorker
from app.http.services import api_dependencies
from app.http.wiring import build_dependencies
from app.settings import Settings, load_settings

CONFIG_VARIABLE = "WLC_CONFIG"


def app_from_environment() -> FastAPI:
    """The app as ``uvicorn`` builds it in each worker process: the settings come from ``WLC_CONFIG`` (which
    ``wlc serve`` sets), since worker processes share no Python objects with the command that started them; so
    do the log format and level (``log_environment``)."""
    config = os.environ.get(CONFIG_VARIABLE)
    settings = load_settings(Path(config) if config else None)
    observe(settings)
    return create_app(build_dependencies(settings), run_worker=False)


def log_environment(settings: Settings, log_format: str | None, log_level: str | None) -> dict[str, str]:
    """The variables that give a process ``wlc serve`` starts its log format and level."""
    return {
        "WLC_LOG_FORMAT": log_format or settings.log_format,
        "WLC_LOG_LEVEL": log_level or settings.log_level or "INFO",
    }


def observe(settings: Settings) -> None:
    """A serving process's logging (INFO unless the settings say otherwise) and traces (when configured)."""
    from app.observability.logs import configure_logging
    from app.observability.tracing import configure_tracing

    configure_logging(settings.log_format, settings.log_level or "INFO")
    configure_tracing(settings.otlp_endpoint)


PARENT_VARIABLE = "WLC_DELIVERY_PARENT"
"""Set by ``wlc serve`` for the ``wlc deliver`` it starts: the pid whose end also ends the delivery process, so a
``wlc serve`` killed outright leaves no delivery process behind."""


def delivery_application(settings: Settings) -> Application:
    """The application of a delivery process: a background caller of every tenant's budget."""
    application = build_application(settings=settings)
    application.role.override(Priority.BACKGROUND)
    return application


def deliver_until(done: Callable[[], bool], settings: Settings, every: float = 0.5) -> None:
    """Delivers the outbox (``OutboxWorker``'s threads, as a background caller of each tenant's budget) until
    ``done()``, asked every ``every`` seconds, then finishes the entries in hand and releases the accounts'
    clients."""
    deps = api_dependencies(delivery_application(settings))
    worker = OutboxWorker(deps.outbox, deps.tenants, deps.clock)
    worker.start()
    try:
        while not done():
            time.sleep(every)
    finally:
        worker.stop()
        deps.tenants.close()


def parent_gone(parent: int, getppid: Callable[[], int] = os.getppid) -> Callable[[], bool]:
    """Whether this process's parent is no longer ``parent``: it ended, and the process was re-parented."""
    return lambda: getppid() != parent
