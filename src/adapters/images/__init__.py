"""Cover images fetched over HTTP for Workday's course image data."""

from adapters.images.http_cover_images import IMAGE_TIMEOUT, MAX_IMAGE_BYTES, MAX_REDIRECTS, HttpCoverImages

__all__ = ["IMAGE_TIMEOUT", "MAX_IMAGE_BYTES", "MAX_REDIRECTS", "HttpCoverImages"]
