"""How ``wlc serve`` runs: the API in ``--workers`` processes, which only accept and answer, and the runtime (the
schedules' tick, tenant sessions, the outbox's delivery) in one ``wlc worker`` process of its own, which ``wlc
serve`` starts unless told not to.

Sessions are kept out of the API's processes because they are CPU work in Python (building and parsing each SOAP
envelope) that would share the interpreter with the API's event loop (docs/benchmarks.md). Each tenant's Learning
API budget (``learning.rate_limit``) is one, shared by every process (``adapters.budget``): the API's calls are
interactive and go first, the worker's sessions are background and take what they leave."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from app.http.app import create_app
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
    return create_app(build_dependencies(settings))


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
