import asyncio
import json
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest

from app.http.routes_content import BATCH_PATH
from app.settings import MIB, ApiSettings, load_settings
from tests.unit.http.world import COMPLETION, CONTENT, World

USER = "/unified/lms/users/E00042/completions"


def _padded(payload: dict[str, Any], size: int) -> bytes:
    """``payload`` as JSON of exactly ``size`` bytes, grown by a field the API ignores."""
    bare = json.dumps({**payload, "padding": ""}).encode()
    return json.dumps({**payload, "padding": "x" * (size - len(bare))}).encode()


def _chunked(body: bytes, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """A body without Content-Length: httpx sends an iterator with Transfer-Encoding: chunked."""
    for start in range(0, len(body), chunk):
        yield body[start : start + chunk]


def _json_headers(world: World) -> dict[str, str]:
    return {**world.as_acme(), "content-type": "application/json"}


def _assert_error_body(response: Any, status: int) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert body["statusCode"] == status
    assert body["provider_errors"] == []
    assert body["timestamp"].endswith("Z")
    return body


def test_a_completion_over_the_limit_with_content_length_is_a_413_and_never_reaches_the_outbox(world: World) -> None:
    body = _padded(COMPLETION, MIB + 1)

    response = world.client.post(USER, content=body, headers=_json_headers(world))

    assert response.status_code == 413, response.text
    assert response.headers["connection"] == "close"
    message = _assert_error_body(response, 413)["message"]
    assert f"{MIB:,} bytes" in message
    assert f"POST {USER}" in message
    assert world.worker.drain() == 0


def test_a_completion_over_the_limit_without_content_length_is_a_413_and_never_reaches_the_outbox(
    world: World,
) -> None:
    body = _padded(COMPLETION, MIB + 1)

    response = world.client.post(USER, content=_chunked(body), headers=_json_headers(world))

    assert "content-length" not in response.request.headers
    assert response.status_code == 413, response.text
    assert f"{MIB:,} bytes" in _assert_error_body(response, 413)["message"]
    assert world.worker.drain() == 0


def test_a_completion_at_the_limit_is_accepted_with_or_without_content_length(world: World) -> None:
    body = _padded(COMPLETION, MIB)

    declared = world.client.post(USER, content=body, headers=_json_headers(world))
    streamed = world.client.post(USER, content=_chunked(body), headers=_json_headers(world))

    assert declared.status_code == 202, declared.text
    assert streamed.status_code == 202, streamed.text


def test_a_content_item_over_the_limit_is_a_413_and_nothing_reaches_workday(world: World) -> None:
    body = _padded(CONTENT, MIB + 1)

    for sent in (body, _chunked(body)):
        response = world.client.put("/unified/lms/content", content=sent, headers=_json_headers(world))
        assert response.status_code == 413, response.text
    assert world.tenants["acme"].workday.stored_courses == {}


def test_a_body_over_the_limit_is_refused_before_the_key_is_checked(world: World) -> None:
    body = _padded(COMPLETION, MIB + 1)

    response = world.client.post(USER, content=body, headers={"content-type": "application/json"})

    assert response.status_code == 413


def test_a_batch_may_be_ten_times_larger_than_one_item(world: World) -> None:
    items = {"items": [CONTENT]}
    within = _padded(items, 10 * MIB)
    over = _padded(items, 10 * MIB + 1)

    accepted = world.client.post(BATCH_PATH, content=within, headers=_json_headers(world))
    refused = world.client.post(BATCH_PATH, content=_chunked(over), headers=_json_headers(world))

    assert accepted.status_code == 200, accepted.text[:300]
    assert refused.status_code == 413
    assert f"{10 * MIB:,} bytes" in _assert_error_body(refused, 413)["message"]


def test_the_limits_are_settings(world: World) -> None:
    world.restart(api=ApiSettings(max_body_bytes=2048, max_batch_body_bytes=4096))

    assert world.client.post(USER, content=_padded(COMPLETION, 2049), headers=_json_headers(world)).status_code == 413
    assert world.client.post(USER, content=_padded(COMPLETION, 2048), headers=_json_headers(world)).status_code == 202
    batch = _padded({"items": [CONTENT]}, 4097)
    assert world.client.post(BATCH_PATH, content=batch, headers=_json_headers(world)).status_code == 413


def test_a_streamed_body_is_read_no_further_than_the_first_chunk_past_the_limit(world: World) -> None:
    """Driven at the ASGI level, as a server would: each chunk is handed over only when the app asks for it."""
    world.restart(api=ApiSettings(max_body_bytes=2048))
    chunks = [b"x" * 1024] * 100
    handed: list[int] = []
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        handed.append(len(handed))
        more = len(handed) < len(chunks)
        return {"type": "http.request", "body": chunks[len(handed) - 1], "more_body": more}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": USER,
        "raw_path": USER.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8080),
        "state": {},
    }
    asyncio.run(world.app(scope, receive, send))

    assert len(handed) == 3
    assert sent[0]["type"] == "http.response.start"
    assert sent[0]["status"] == 413


def test_the_limits_are_read_from_the_api_section_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "wlc.toml"
    config.write_text("[api]\nmax_body_bytes = 65536\n", encoding="utf-8")
    monkeypatch.setenv("WLC_API__MAX_BATCH_BODY_BYTES", "131072")

    api = load_settings(config).api

    assert (api.max_body_bytes, api.max_batch_body_bytes) == (65536, 131072)
    assert (ApiSettings().max_body_bytes, ApiSettings().max_batch_body_bytes) == (MIB, 10 * MIB)
