"""What the API's request body limit (``app.http.body_limit.BodyLimit``) adds to a request that declares its
size: the middleware in front of an app that does nothing but read the body, against the app alone, in process,
with the headers a completion post carries. ``python -m bench.body_limit [requests]`` prints the figures."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.body_limit import BodyLimit
from app.http.routes_content import BATCH_PATH
from app.settings import ApiSettings

_HEADERS = [
    (b"host", b"127.0.0.1:8080"),
    (b"authorization", b"Bearer wlc_0123456789ab_secret"),
    (b"x-account-id", b"acme"),
    (b"content-type", b"application/json"),
    (b"content-length", b"300"),
]
_SCOPE: dict[str, Any] = {"type": "http", "method": "POST", "path": "/unified/lms/users/E1/completions"}


async def _reads_the_body(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()


async def _receive() -> Message:
    return {"type": "http.request", "body": b"x" * 300, "more_body": False}


async def _send(message: Message) -> None:
    return None


async def _seconds_each(app: ASGIApp, requests: int) -> float:
    scope = {**_SCOPE, "headers": _HEADERS}
    started = time.perf_counter()
    for _ in range(requests):
        await app(scope, _receive, _send)
    return (time.perf_counter() - started) / requests


def main(requests: int) -> None:
    api = ApiSettings()
    limited = BodyLimit(_reads_the_body, default=api.max_body_bytes, by_path={BATCH_PATH: api.max_batch_body_bytes})
    bare, with_limit = [], []
    for _ in range(5):
        bare.append(asyncio.run(_seconds_each(_reads_the_body, requests)))
        with_limit.append(asyncio.run(_seconds_each(limited, requests)))
    added = min(with_limit) - min(bare)
    print(json.dumps({"requests": requests, "bare_us": min(bare) * 1e6, "added_us": added * 1e6}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
