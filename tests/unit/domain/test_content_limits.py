import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.learning_content import DESCRIPTION_MAX, TITLE_MAX, URL_MAX, Content, Named

URL = "https://provider.example.com/courses/adv-sales-001"


def _content(**changes: object) -> Content:
    fields: dict[str, object] = {
        "title": "Advanced Sales Techniques",
        "external_reference": "ADV-SALES-001",
        "content_url": URL,
        "categories": (Named("Sales"),),
    }
    fields.update(changes)
    return Content(**fields)  # type: ignore[arg-type]


def _url_of(length: int) -> str:
    return URL + "?" + "q" * (length - len(URL) - 1)


def _lengths(limit: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=limit - 3, max_value=limit + 3) | st.integers(min_value=200, max_value=3 * limit)


@given(_lengths(TITLE_MAX))
def test_a_title_is_refused_naming_the_field_exactly_when_longer_than_its_limit(length: int) -> None:
    _check_limit("title", "t" * length, length, TITLE_MAX)


@given(_lengths(DESCRIPTION_MAX))
def test_a_description_is_refused_naming_the_field_exactly_when_its_text_is_longer_than_its_limit(length: int) -> None:
    _check_limit("description", "d" * length, length, DESCRIPTION_MAX)


@pytest.mark.parametrize("field", ["content_url", "mobile_url", "cover_url"])
@given(length=_lengths(URL_MAX))
def test_every_url_is_refused_naming_the_field_exactly_when_longer_than_its_limit(field: str, length: int) -> None:
    _check_limit(field, _url_of(length), length, URL_MAX)


def test_a_description_is_measured_as_the_text_workday_gets_not_its_markup() -> None:
    marked_up = "<p>" + "<b>x</b>" * DESCRIPTION_MAX + "</p>"

    assert _content(description=marked_up).description == "x" * DESCRIPTION_MAX


def _check_limit(field: str, value: str, length: int, limit: int) -> None:
    if length <= limit:
        assert getattr(_content(**{field: value}), field) == value
        return
    with pytest.raises(InvalidValue) as refused:
        _content(**{field: value})
    assert refused.value.field == field
    assert f"{length:,} characters" in refused.value.message
    assert f"{limit:,}" in refused.value.message
