"""Cover images by URL over HTTP: a GET with a timeout, a few redirects at most, ``image/*`` only, and a size
cap enforced while streaming, so a huge or endless body is never held in memory."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlparse

import httpx
from returns.result import Failure, Result, Success

from adapters.tls import tls_context
from domain.course_wrapper import CoverImage
from domain.ports.cover_images import CoverImages

IMAGE_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
MAX_REDIRECTS = 3
MAX_IMAGE_BYTES = 5 * 1024 * 1024
DEFAULT_FILE_NAME = "cover"


class _Refused(Exception):
    """Why an image cannot be had; the message is the reason."""


class HttpCoverImages(CoverImages):
    """``fetch(url)``: the image at ``url``, or a ``Failure`` naming the URL and why (not http(s), HTTP error,
    not an image, larger than ``max_bytes``, too many redirects, unreachable). ``transport`` replaces the
    network in tests."""

    def __init__(
        self,
        *,
        timeout: httpx.Timeout = IMAGE_TIMEOUT,
        max_bytes: int = MAX_IMAGE_BYTES,
        max_redirects: int = MAX_REDIRECTS,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._max_bytes = max_bytes
        self._http = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            max_redirects=max_redirects,
            transport=transport,
            verify=tls_context(),
        )

    def fetch(self, url: str) -> Result[CoverImage, str]:
        try:
            return Success(self._fetch(url))
        except _Refused as refused:
            return Failure(f"cover image {url}: {refused}")

    def close(self) -> None:
        self._http.close()

    def _fetch(self, url: str) -> CoverImage:
        if urlparse(url).scheme not in ("http", "https"):
            raise _Refused("not an http(s) URL")
        try:
            with self._http.stream("GET", url) as response:
                if response.status_code != httpx.codes.OK:
                    raise _Refused(f"HTTP {response.status_code}")
                content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if not content_type.startswith("image/"):
                    raise _Refused(f"not an image (Content-Type {content_type or 'missing'})")
                data = self._body(response)
                final_path = response.url.path
        except httpx.TooManyRedirects:
            raise _Refused("too many redirects") from None
        except httpx.TimeoutException:
            raise _Refused("timed out") from None
        except (httpx.TransportError, httpx.InvalidURL) as error:
            raise _Refused(f"unreachable ({type(error).__name__})") from None
        return CoverImage(
            _file_name(urlparse(url).path) or _file_name(final_path) or DEFAULT_FILE_NAME, content_type, data
        )

    def _body(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise _Refused(f"larger than {self._max_bytes} bytes ({declared})")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self._max_bytes:
                raise _Refused(f"larger than {self._max_bytes} bytes")
            chunks.append(chunk)
        if size == 0:
            raise _Refused("empty body")
        return b"".join(chunks)


def _file_name(path: str) -> str:
    return posixpath.basename(unquote(path))
