"""Cursor paging for the API's lists: ``next`` is an opaque cursor (the offset, base64), null on the last page."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Annotated, TypeVar

from fastapi import Query

from app.http.errors import ApiError

T = TypeVar("T")

_CURSOR_PREFIX = "o:"

NextCursor = Annotated[str | None, Query(alias="next", max_length=100, description="From the previous page.")]
PageSize = Annotated[int, Query(ge=1, le=500)]


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The offset a cursor stands for; raises ``ApiError`` (422, ``query.next``) for one this API did not make."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    offset = text.removeprefix(_CURSOR_PREFIX)
    if not text.startswith(_CURSOR_PREFIX) or not offset.isdigit() or len(offset) > 9:
        raise ApiError(422, "next is not a cursor from a previous page", "query.next")
    return int(offset)


def page_of(listing: Callable[[], Sequence[T]], cursor: str | None, page_size: int) -> tuple[list[T], str | None]:
    """The page that ``cursor`` starts (the first when None) of what ``listing`` returns, and the next page's
    cursor. A cursor this API did not make is refused before ``listing`` is called."""
    offset = 0 if cursor is None else decode_cursor(cursor)
    items = listing()
    more = offset + page_size < len(items)
    return list(items[offset : offset + page_size]), encode_cursor(offset + page_size) if more else None
