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
from app.settings import load_settings

CONFIG_VARIABLE = "WLC_CONFIG"


def app_from_environment() -> FastAPI:
    """The app as ``uvicorn`` builds it in each worker process: the settings come from ``WLC_CONFIG`` (which
    ``wlc serve`` sets), since worker processes share no Python objects with the command that started them."""
    config = os.environ.get(CONFIG_VARIABLE)
    return create_app(build_dependencies(load_settings(Path(config) if config else None)))
