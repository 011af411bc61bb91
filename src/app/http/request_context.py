"""``RequestContext``: ASGI middleware giving each request an id (the caller's ``X-Request-ID`` when it sent a
usable one, else a new one), bound to every log record made while it is served and returned as ``X-Request-ID``
on the answer, so a caller's report and the server's log meet; and a span, a session the Workday calls made to
answer it are children of."""

from __future__ import annotations

import re
import uuid

from opentelemetry.trace import SpanKind
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.observability.logs import bound
from app.observability.tracing import REQUEST_ID, tracer

HEADER = "x-request-id"
_USABLE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
"""A caller's id is echoed into logs and headers: only a short, plain one is taken."""


def request_id(given: str | None) -> str:
    return given if given is not None and _USABLE.match(given) else uuid.uuid4().hex


class RequestContext:
    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == HEADER.encode()), None)
        chosen = request_id(given)
        method, path = scope.get("method", ""), scope.get("path", "")
        attributes = {"http.request.method": method, "url.path": path, REQUEST_ID: chosen}
        with (
            bound(request_id=chosen, method=method, path=path),
            tracer().start_as_current_span(f"session {method}", kind=SpanKind.SERVER, attributes=attributes) as span,
        ):

            async def send_with_id(message: Message) -> None:
                if message["type"] == "http.response.start":
                    MutableHeaders(scope=message)[HEADER] = chosen
                    span.set_attribute("http.response.status_code", message["status"])
                    route = scope.get("route")  # known once routed: a name without the path's identifiers
                    if route is not None and hasattr(route, "path"):
                        span.update_name(f"session {method} {route.path}")
                await send(message)

            await self._app(scope, receive, send_with_id)
