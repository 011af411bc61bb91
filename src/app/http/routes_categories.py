"""Categories: the Workday learning topics content may use, paged by an opaque cursor."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.http.auth import Authorized
from app.http.errors import ApiError
from app.http.schemas import CategoryOne, CategoryOut, CategoryPage
from domain.learning_content import Named

router = APIRouter(prefix="/unified/lms/categories", tags=["categories"])

_CURSOR_PREFIX = "o:"


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


def _out(category: Named) -> CategoryOut:
    return CategoryOut(id=category.id or category.name, remote_id=category.id, name=category.name)


@router.get("", response_model=CategoryPage)
def list_categories(
    caller: Authorized,
    next_cursor: Annotated[
        str | None, Query(alias="next", max_length=100, description="From the previous page.")
    ] = None,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
) -> CategoryPage:
    """Workday's learning topics, by name. ``next`` is null on the last page."""
    offset = 0 if next_cursor is None else decode_cursor(next_cursor)
    categories = caller.account.list_categories()()
    page = categories[offset : offset + page_size]
    more = offset + page_size < len(categories)
    return CategoryPage(data=[_out(c) for c in page], next=encode_cursor(offset + page_size) if more else None)


@router.get("/{category_id}", response_model=CategoryOne)
def get_category(caller: Authorized, category_id: Annotated[str, Path(min_length=1, max_length=400)]) -> CategoryOne:
    """One topic, by its Workday ID or, for a topic without one, its name."""
    categories = caller.account.list_categories()()
    found = next((c for c in categories if c.id == category_id), None) or next(
        (c for c in categories if c.id is None and c.name == category_id), None
    )
    if found is None:
        raise ApiError(404, f"there is no category {category_id}")
    return CategoryOne(data=_out(found))
