"""``BodyLimit``: the API refuses a request body over its size limit with 413, before anything parses it.

A body that declares its size (``Content-Length``) over the limit is answered at once, without reading it or
calling the app, and the connection is closed rather than drained. A body without ``Content-Length`` (chunked) is
counted as it arrives and cut off at the first byte past the limit: reading it further raises ``BodyTooLarge``,
which the API's error handlers answer. A body within its declared size passes untouched: the server delivers no
more than ``Content-Length`` bytes, so only the header is read, and no body is copied."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.errors import error_body


class BodyTooLarge(HTTPException):
    """Raised by the body's reader at the first chunk past the limit. An ``HTTPException``, so that FastAPI's
    body reading passes it on to the API's error handlers as a 413 rather than a parse error."""

    def __init__(self, limit: int, where: str) -> None:
        super().__init__(413, too_large(limit, where))


def too_large(limit: int, where: str) -> str:
    return f"the request body is over {limit:,} bytes, the most {where} takes; send less (or split a batch)"


class BodyLimit:
    """ASGI middleware: a request to one of ``by_path``'s paths may carry that many bytes of body, any other
    ``default`` bytes."""

    def __init__(self, app: ASGIApp, *, default: int, by_path: Mapping[str, int]) -> None:
        self._app = app
        self._default = default
        self._by_path = dict(by_path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        limit = self._by_path.get(scope["path"], self._default)
        where = f"{scope['method']} {scope['path']}"
        declared = _content_length(scope)
        if declared is not None:
            if declared > limit:
                body = error_body(413, too_large(limit, where))
                await JSONResponse(body, 413, headers={"Connection": "close"})(scope, receive, send)
                return
            await self._app(scope, receive, send)
            return
        counted = 0

        async def receive_within_limit() -> Message:
            nonlocal counted
            message = await receive()
            if message["type"] == "http.request":
                counted += len(message.get("body", b""))
                if counted > limit:
                    raise BodyTooLarge(limit, where)
            return message

        await self._app(scope, receive_within_limit, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses such a request before it reaches the app; count it if not
    return None
