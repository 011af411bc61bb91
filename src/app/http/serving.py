"""The app as ``uvicorn`` builds it in each worker process of ``wlc serve --workers N``: a factory that reads the
settings from ``WLC_CONFIG`` (which ``wlc serve`` sets), since worker processes share no Python objects with
the command that started them."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from app.http.app import create_app
from app.http.wiring import build_dependencies
from app.settings import Settings, load_settings

CONFIG_VARIABLE = "WLC_CONFIG"
WORKERS_VARIABLE = "WLC_SERVE_WORKERS"


def app_from_environment() -> FastAPI:
    config = os.environ.get(CONFIG_VARIABLE)
    settings = load_settings(Path(config) if config else None)
    return create_app(build_dependencies(per_process(settings, int(os.environ.get(WORKERS_VARIABLE, "1")))))


def per_process(settings: Settings, processes: int) -> Settings:
    """Each tenant's Learning API budget shared among ``processes``: each process keeps its own rate limiter, so
    together they stay within the tenant's ``learning.rate_limit`` (at least one request a second each)."""
    if processes <= 1:
        return settings
    tenants = {
        name: tenant.model_copy(
            update={
                "learning": tenant.learning.model_copy(
                    update={"rate_limit": max(1, tenant.learning.rate_limit // processes)}
                )
            }
        )
        for name, tenant in settings.tenants.items()
    }
    return settings.model_copy(update={"tenants": tenants})
