from __future__ import annotations

from collections.abc import Mapping

from returns.result import Failure, Result, Success

from domain.course_wrapper import CoverImage
from domain.ports.cover_images import CoverImages


class InMemoryCoverImages(CoverImages):
    """Cover images by URL: each URL maps to an image or to the reason it cannot be had (a string). A URL not
    in the map is not found."""

    def __init__(self, images: Mapping[str, CoverImage | str] | None = None) -> None:
        self.images: dict[str, CoverImage | str] = dict(images or {})
        self.fetched: list[str] = []

    def fetch(self, url: str) -> Result[CoverImage, str]:
        self.fetched.append(url)
        found = self.images.get(url, "404 Not Found")
        if isinstance(found, str):
            return Failure(f"cover image {url}: {found}")
        return Success(found)
