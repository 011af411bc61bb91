"""``RequestContext``: ASGI middleware giving each request an id (the caller's ``X-Request-ID`` when it sent a
usable one, else a new one), bound to every log record made while it is served and returned as ``X-Request-ID``
on the answer, so a caller's report and the server's log meet."""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.observability.logs import bound

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

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = chosen
            await send(message)

        with bound(request_id=chosen, method=scope.get("method"), path=scope.get("path")):
            await self._app(scope, receive, send_with_id)
