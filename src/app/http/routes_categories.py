"""Categories: the Workday learning topics content may use, paged by an opaque cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.http.auth import Authorized
from app.http.errors import ApiError
from app.http.paging import NextCursor, PageSize, page_of
from app.http.schemas import CategoryOne, CategoryPage
from app.http.view_schemas import named_out

router = APIRouter(prefix="/unified/lms/categories", tags=["categories"])


@router.get("", response_model=CategoryPage)
def list_categories(caller: Authorized, next_cursor: NextCursor = None, page_size: PageSize = 100) -> CategoryPage:
    """Workday's learning topics, by name. ``next`` is null on the last page."""
    page, following = page_of(caller.tenant.list_categories(), next_cursor, page_size)
    return CategoryPage(data=[named_out(c) for c in page], next=following)


@router.get("/{category_id}", response_model=CategoryOne)
def get_category(caller: Authorized, category_id: Annotated[str, Path(min_length=1, max_length=400)]) -> CategoryOne:
    """One topic, by its Workday ID or, for a topic without one, its name."""
    categories = caller.tenant.list_categories()()
    found = next((c for c in categories if c.id == category_id), None) or next(
        (c for c in categories if c.id is None and c.name == category_id), None
    )
    if found is None:
        raise ApiError(404, f"there is no category {category_id}")
    return CategoryOne(data=named_out(found))
