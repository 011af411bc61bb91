"""The app as ``uvicorn`` builds it in each worker process of ``wlc serve --workers N``: a factory that reads the
settings from ``WLC_CONFIG`` (which ``wlc serve`` sets), since worker processes share no Python objects with
the command that started them."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from app.http.app import create_app
from app.http.wiring import build_dependencies
from app.settings import load_settings

CONFIG_VARIABLE = "WLC_CONFIG"


def app_from_environment() -> FastAPI:
    config = os.environ.get(CONFIG_VARIABLE)
    return create_app(build_dependencies(load_settings(Path(config) if config else None)))
