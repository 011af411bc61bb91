from __future__ import annotations

from abc import abstractmethod
from typing import Protocol, runtime_checkable

from returns.result import Result

from domain.course_wrapper import CoverImage


@runtime_checkable
class CoverImages(Protocol):
    """Cover images by URL. ``fetch`` returns the image (Workday wants it base64-encoded in the request), or a
    ``Failure`` naming the URL and the reason (not found, not an image, too large, unreachable)."""

    @abstractmethod
    def fetch(self, url: str) -> Result[CoverImage, str]: ...
