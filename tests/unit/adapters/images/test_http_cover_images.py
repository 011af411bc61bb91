"""HttpCoverImages over httpx.MockTransport."""

from __future__ import annotations

import httpx
from returns.result import Failure, Success

from adapters.images import HttpCoverImages
from domain.course_wrapper import CoverImage

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def images(handler: httpx.MockTransport, **options: int) -> HttpCoverImages:
    return HttpCoverImages(transport=handler, **options)  # type: ignore[arg-type]


def test_an_image_is_returned_with_its_file_name_and_type() -> None:
    handler = httpx.MockTransport(lambda _: httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"}))

    result = images(handler).fetch("https://cdn.example/covers/fire%20safety.png?v=2")

    assert result == Success(CoverImage("fire safety.png", "image/png", PNG))


def test_what_is_not_an_image_is_refused_naming_the_url() -> None:
    handler = httpx.MockTransport(lambda _: httpx.Response(200, text="<html>", headers={"Content-Type": "text/html"}))

    result = images(handler).fetch("https://cdn.example/a.png")

    assert isinstance(result, Failure)
    assert "https://cdn.example/a.png" in result.failure()
    assert "text/html" in result.failure()


def test_an_image_larger_than_the_cap_is_refused() -> None:
    handler = httpx.MockTransport(lambda _: httpx.Response(200, content=PNG, headers={"Content-Type": "image/png"}))

    result = images(handler, max_bytes=50).fetch("https://cdn.example/a.png")

    assert isinstance(result, Failure)
    assert "larger than 50 bytes" in result.failure()


def test_a_missing_image_and_endless_redirects_are_refused() -> None:
    missing = images(httpx.MockTransport(lambda _: httpx.Response(404))).fetch("https://cdn.example/a.png")
    loop = httpx.MockTransport(lambda r: httpx.Response(302, headers={"Location": str(r.url)}))
    looping = images(loop).fetch("https://cdn.example/a.png")

    assert isinstance(missing, Failure)
    assert "HTTP 404" in missing.failure()
    assert isinstance(looping, Failure)
    assert "too many redirects" in looping.failure()


def test_a_url_that_is_not_http_is_refused_without_a_request() -> None:
    result = images(httpx.MockTransport(lambda _: httpx.Response(500))).fetch("file:///etc/passwd")

    assert isinstance(result, Failure)
    assert "not an http(s) URL" in result.failure()
