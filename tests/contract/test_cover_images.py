"""The CoverImages contract (see its docstring), run against the in-memory fake and HttpCoverImages fetching
from the sandbox's image CDN (``/images/{name}``) over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from returns.result import Failure, Success

from adapters.fakes import InMemoryCoverImages
from adapters.images import HttpCoverImages
from domain.course_wrapper import CoverImage
from domain.ports.cover_images import CoverImages
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer

PNG = CoverImage("cover.png", "image/png", b"\x89PNG\r\n\x1a\n-fake")


@pytest.fixture(scope="module")
def image_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(workers=5, seed=3)) as server:
        yield server


@pytest.fixture(params=["fake", "sandbox"])
def base_and_images(request: pytest.FixtureRequest) -> Iterator[tuple[str, CoverImages]]:
    if request.param == "fake":
        base = "https://cdn.example"
        yield (
            base,
            InMemoryCoverImages(
                {
                    f"{base}/images/cover.png": PNG,
                    f"{base}/images/not-an-image.jpg": "not an image (Content-Type text/html)",
                }
            ),
        )
        return
    sandbox: SandboxServer = request.getfixturevalue("image_sandbox")
    images = HttpCoverImages()
    yield sandbox.base_url, images
    images.close()


def test_an_image_comes_back_with_its_file_name_type_and_bytes(base_and_images: tuple[str, CoverImages]) -> None:
    base, images = base_and_images

    result = images.fetch(f"{base}/images/cover.png")

    assert isinstance(result, Success)
    image = result.unwrap()
    assert image.file_name == "cover.png"
    assert image.content_type == "image/png"
    assert image.data.startswith(b"\x89PNG")


def test_a_page_that_is_not_an_image_is_refused_naming_the_url(base_and_images: tuple[str, CoverImages]) -> None:
    base, images = base_and_images
    url = f"{base}/images/not-an-image.jpg"

    result = images.fetch(url)

    assert isinstance(result, Failure)
    assert url in result.failure()
    assert "not an image" in result.failure()


def test_a_missing_image_is_refused_naming_the_url(base_and_images: tuple[str, CoverImages]) -> None:
    base, images = base_and_images
    url = f"{base}/images/no-such-cover.png"

    result = images.fetch(url)

    assert isinstance(result, Failure)
    assert url in result.failure()
