"""How ``wlc serve`` runs: the API in ``--workers`` processes, which only accept and answer, and the outbox's
delivery to Workday in one process of its own (``wlc deliver``, which ``wlc serve`` starts unless told not to).

Delivery is kept out of the API's processes because it is CPU work in Python (building and parsing each SOAP
envelope) on threads that would share the interpreter with the API's event loop: at 1,000 posts a second, the
API's p99 had a median of 46.5 ms over seven runs with delivery on its threads and 27.1 ms over nine with it
elsewhere (docs/benchmarks.md). Each tenant's Learning API budget (``learning.rate_limit``) is split between
them: the API's calls (content, deletions, reads) are few and interactive, the outbox's many."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI

from app.errors import ConfigurationError
from app.http.app import create_app
from app.http.outbox_worker import OutboxWorker
from app.http.wiring import build_dependencies, with_rate_limit
from app.settings import Settings, load_settings

CONFIG_VARIABLE = "WLC_CONFIG"
WORKERS_VARIABLE = "WLC_SERVE_WORKERS"

API_SHARE = 5
"""The API's processes together take a fifth of a tenant's rate limit (at least one request a second each);
delivery takes the rest. A second ``wlc deliver`` on the same tenants would take a second delivery share: run
one."""


def app_from_environment() -> FastAPI:
    """The app as ``uvicorn`` builds it in each worker process: the settings come from ``WLC_CONFIG`` (which
    ``wlc serve`` sets), since worker processes share no Python objects with the command that started them."""
    config = os.environ.get(CONFIG_VARIABLE)
    settings = load_settings(Path(config) if config else None)
    workers = int(os.environ.get(WORKERS_VARIABLE, "1"))
    return create_app(build_dependencies(settings, lambda rate: api_rate(rate, workers)), run_worker=False)


def api_rate(rate: int, workers: int) -> int:
    """One API process's share of a tenant's ``rate`` requests a second, with ``workers`` API processes: a fifth
    of the rate between them, or one each if that is more."""
    return max(rate // API_SHARE, workers) // workers


def delivery_rate(rate: int, api_workers: int) -> int:
    """The delivery process's share: what ``api_workers`` API processes leave (all of it when there are none).
    Raises ``ConfigurationError`` when that is nothing."""
    if not api_workers:
        return rate
    left = rate - api_workers * api_rate(rate, api_workers)
    if left < 1:
        raise ConfigurationError(
            f"a learning.rate_limit of {rate} cannot be shared by {api_workers} API processes and delivery: each "
            f"needs at least 1 request a second; raise the limit to {api_workers + 1} or use fewer --workers"
        )
    return left


def check_rate_shares(settings: Settings, api_workers: int) -> None:
    """Raises ``ConfigurationError`` for the first tenant whose rate limit cannot be shared so."""
    for name, tenant in settings.tenants.items():
        try:
            delivery_rate(tenant.learning.rate_limit, api_workers)
        except ConfigurationError as unshareable:
            raise ConfigurationError(f"tenant {name!r}: {unshareable}") from None


def with_rate_limits(settings: Settings, share: Callable[[int], int]) -> Settings:
    """``settings`` with each tenant's ``learning.rate_limit`` replaced by ``share`` of it: each process keeps
    its own rate limiter, so the shares must together stay within the tenant's limit."""
    tenants = {name: with_rate_limit(tenant, share) for name, tenant in settings.tenants.items()}
    return settings.model_copy(update={"tenants": tenants})


PARENT_VARIABLE = "WLC_DELIVERY_PARENT"
"""Set by ``wlc serve`` for the ``wlc deliver`` it starts: the pid whose end also ends the delivery process, so a
``wlc serve`` killed outright leaves no delivery process behind."""


def deliver_until(done: Callable[[], bool], settings: Settings, api_workers: int, every: float = 0.5) -> None:
    """Delivers the outbox (``OutboxWorker``'s threads, with the delivery share of each tenant's budget) until
    ``done()``, asked every ``every`` seconds, then finishes the entries in hand and releases the accounts'
    clients."""
    deps = build_dependencies(settings, lambda rate: delivery_rate(rate, api_workers))
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
