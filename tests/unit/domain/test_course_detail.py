"""CourseDetail, the read model of ``wlc content show``: it checks itself on creation."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.content_dedup import CatalogCourse
from domain.course_detail import CourseDetail, CoverImageFacts, DetailField, NotRead
from domain.course_wrapper import Lesson, LessonKind
from domain.errors import InvalidValue

COURSE = CatalogCourse("wid-1", "REF-1", "Deals")


def detail(**changes: Any) -> CourseDetail:
    fields: dict[str, Any] = {
        "course": COURSE,
        "description": "",
        "lessons": (),
        "categories": (),
        "skills": (),
        "languages": (),
        "duration_minutes": None,
        "requires_enrollment": None,
        "cover_image": None,
    }
    return CourseDetail(**(fields | changes))


@given(st.lists(st.integers(min_value=1, max_value=50), max_size=8))
def test_lessons_are_held_in_lesson_order_whatever_order_they_came_in(orders: list[int]) -> None:
    lessons = tuple(Lesson(order, f"lesson {order}", LessonKind.EXTERNAL, True) for order in orders)

    held = detail(lessons=lessons).lessons

    assert [lesson.order for lesson in held] == sorted(orders)
    assert sorted(held, key=lambda lesson: lesson.title) == sorted(lessons, key=lambda lesson: lesson.title)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (DetailField.DURATION, {"duration_minutes": 30}),
        (DetailField.REQUIRES_ENROLLMENT, {"requires_enrollment": False}),
        (DetailField.COVER_IMAGE, {"cover_image": CoverImageFacts("c.png", "image/png", 10)}),
    ],
)
def test_a_field_marked_as_not_read_cannot_also_hold_a_value(field: DetailField, value: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue, match=field.value):
        detail(not_read=(NotRead(field, "the catalog cannot read it"),), **value)


def test_the_reason_a_field_was_not_read_is_kept_and_a_read_field_has_none() -> None:
    shown = detail(not_read=(NotRead(DetailField.DURATION, "the REST API gives none"),))

    assert shown.reason_not_read(DetailField.DURATION) == "the REST API gives none"
    assert shown.reason_not_read(DetailField.COVER_IMAGE) is None


def test_negative_sizes_and_durations_are_refused_naming_the_field() -> None:
    with pytest.raises(InvalidValue, match="size_bytes"):
        CoverImageFacts("c.png", "image/png", -1)
    with pytest.raises(InvalidValue, match="duration_minutes"):
        detail(duration_minutes=-5)
