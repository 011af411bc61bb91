"""``create_app``: the FastAPI application, its routes and error handlers. The outbox's deliveries are the
runtime's (``wlc worker``), not the API's."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from app.errors import ConfigurationError
from app.http import (
    console,
    errors,
    routes_admin,
    routes_categories,
    routes_completions,
    routes_content,
    routes_metrics,
    routes_status,
    routes_sync,
    routes_views,
)
from app.http.auth import SECURITY_SCHEMES, dependencies
from app.http.body_limit import BodyLimit
from app.http.group_commit import GroupCommitter
from app.http.key_cache import VerifiedKeys
from app.http.request_context import RequestContext
from app.http.schemas import ErrorOut
from app.http.services import ApiDependencies
from app.runtime.delivery import Drain
from domain.errors import LedgerUnavailable

log = logging.getLogger(__name__)

_ERRORS = {
    status: {"model": ErrorOut, "description": description}
    for status, description in (
        (400, "No account named"),
        (401, "No API key, or not a valid one"),
        (403, "The key may not act on this account, or here (a tenant's key on /admin, an admin key elsewhere)"),
        (404, "Not found"),
        (409, "Conflict"),
        (413, "The request body is over the API's size limit (settings api.max_body_bytes, api.max_batch_body_bytes)"),
        (422, "Invalid input, or refused by Workday as invalid; `field` names the offending field"),
        (502, "Workday failed; the request may be tried again"),
        (503, "The ledger is unavailable"),
    )
}


def create_app(deps: ApiDependencies) -> FastAPI:
    """The API over ``deps``. It accepts completions into the outbox; the workers deliver them. ``app.state.drain``
    delivers what is due in this process, for a test or an operator's one-off drain."""
    committer = GroupCommitter(deps.outbox)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for name in deps.tenants.names:  # each account's container, now rather than on its first request
            try:
                deps.tenants.get(name)
            except ConfigurationError as unreadable:  # that account answers 503 saying so; the others are served
                log.error("tenant %s cannot be served: %s", name, unreadable)
        settle_heap()
        try:
            yield
        finally:
            committer.stop()
            deps.tenants.close()

    app = FastAPI(
        title="wlc",
        summary="The Workday Learning connector's API: unified LMS content, completions, categories and skills.",
        version="0.1.0",
        lifespan=lifespan,
        responses=_ERRORS,  # type: ignore[arg-type]
    )
    app.state.deps = deps
    app.state.drain = Drain(
        deps.outbox, lambda: deps.tenants.names, lambda name: deps.tenants.get(name).deliver_completion(), deps.clock
    )
    app.state.committer = committer
    app.state.verified_keys = VerifiedKeys(deps.keys)
    errors.install(app)
    app.add_middleware(
        BodyLimit,
        default=deps.api.max_body_bytes,
        by_path={routes_content.BATCH_PATH: deps.api.max_batch_body_bytes},
    )
    app.add_middleware(RequestContext)  # outermost: every record of a request, a refusal's too, names it
    for module in (routes_content, routes_completions, routes_categories, routes_views, routes_sync, routes_admin):
        app.include_router(module.router)
    app.include_router(routes_status.router)
    app.include_router(routes_metrics.router)
    console.mount(app)

    @app.get("/healthz", tags=["health"], responses={})
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    def readyz(request: Request) -> JSONResponse:
        """The ledger's database answers."""
        try:
            dependencies(request).outbox.ping()
        except LedgerUnavailable as down:
            return JSONResponse(errors.error_body(503, str(down)), status_code=503)
        return JSONResponse({"status": "ready"})

    app.openapi = lambda: _with_security(app)  # type: ignore[method-assign]
    return app


def settle_heap() -> None:
    """Moves every object alive now (modules, the app, schemas, WSDLs) out of the collector's sight. They live as
    long as the process, yet each full collection would walk them all: with the WSDLs loaded that is tens of
    milliseconds, during which every request waits."""
    gc.collect()
    gc.freeze()


def _with_security(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, plus the API-key schemes on every operation that needs a key (all but health)."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes, tags=app.openapi_tags
        )
        schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
        for operations in schema["paths"].values():
            for operation in operations.values():
                if "health" not in operation.get("tags", []):
                    operation["security"] = [{name: []} for name in SECURITY_SCHEMES]
        app.openapi_schema = schema
    return app.openapi_schema
