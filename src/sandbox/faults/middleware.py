"""An ASGI middleware in front of both sides: it counts requests and answers, and injects the configured faults."""

from __future__ import annotations

import asyncio

from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.faults import Side
from sandbox.images.covers import IMAGES_PREFIX
from sandbox.lumiq.errors import error_response
from sandbox.state import SandboxState

LUMIQ_PREFIX = "/lumiq"
_REASONS = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class FaultMiddleware:
    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self._app = app
        self._state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        path: str = scope["path"]
        side: Side = "lumiq" if _under(path, LUMIQ_PREFIX) or _under(path, IMAGES_PREFIX) else "workday"
        counts = self._state.counts
        counts.record(side, scope["method"], path)

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                counts.record_answer(side, message["status"])
            await send(message)

        faults = self._state.faults
        if faults.applies_to(side):
            if faults.latency_ms > 0:
                await asyncio.sleep(faults.latency_ms / 1000)
            status = faults.next_failure(self._state.rng)
            if status is not None:
                await _failure(side, status, faults.retry_after_seconds)(scope, receive, counted)
                return
        await self._app(scope, receive, counted)


def _under(path: str, prefix: str) -> bool:
    """The provider's side is its API and its image CDN (the cover images)."""
    return path == prefix or path.startswith(prefix + "/")


def _failure(side: Side, status: int, retry_after: int) -> Response:
    retry = retry_after if status in (429, 503) else None
    if side == "lumiq":
        return error_response(status, "injected fault", retry_after=retry)
    # Inferred: Workday's bodies for these statuses are not documented (integrators report HTML at times).
    headers = {"Retry-After": str(retry)} if retry is not None else None
    return PlainTextResponse(_REASONS.get(status, "Error"), status, headers)
