"""``GET /metrics``: the connector's metrics in Prometheus' text format (``app.observability.metrics``), every
process's samples summed where several serve, and each tenant's outbox read from the ledger now."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from app.http.auth import dependencies

router = APIRouter(tags=["health"])


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics(request: Request) -> Response:
    """Prometheus' exposition format. Open, like /healthz: keep the port to the network Prometheus scrapes from."""
    from app.observability.metrics import OutboxCollector, exposition

    deps = dependencies(request)
    outbox = OutboxCollector(deps.outbox_health(), lambda: deps.tenants.names, deps.clock.now)
    body, content_type = await run_in_threadpool(exposition, outbox)
    return Response(body, media_type=content_type)
