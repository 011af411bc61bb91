from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from returns.result import Failure, Success

from domain.content_dedup import CatalogCourse, Create, UpdateCourse, decide_upsert
from domain.course_wrapper import AccountSettings, LessonKind, wrap
from domain.errors import InvalidValue
from domain.iso_durations import parse_iso_duration, whole_minutes
from domain.learning_content import Content, Named, locale_code, plain_text


def content(**changes: object) -> Content:
    fields: dict[str, object] = {
        "title": "Advanced Sales Techniques",
        "external_reference": "ADV-SALES-001",
        "content_url": "https://provider.example.com/courses/adv-sales-001",
        "categories": (Named("Sales"),),
    }
    fields.update(changes)
    return Content(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("PT1H30M45S", 91), ("PT1H30M29S", 90), ("PT1H30M30S", 91), ("PT20S", 1), ("PT0S", 0), ("P1DT1H", 1500)],
)
def test_durations_become_whole_minutes_rounding_half_up_and_never_zero_when_not_zero(text: str, minutes: int) -> None:
    assert whole_minutes(parse_iso_duration(text)) == minutes


@pytest.mark.parametrize("text", ["1h30", "P1M", "P1Y", "PT", "P", "PT1H30M45", "P999999999999D"])
def test_a_bad_or_unbounded_duration_names_the_field(text: str) -> None:
    with pytest.raises(InvalidValue, match="duration"):
        parse_iso_duration(text)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=59))
def test_whole_minutes_is_within_half_a_minute(minutes: int, seconds: int) -> None:
    duration = timedelta(minutes=minutes, seconds=seconds)
    rounded = whole_minutes(duration)
    assert abs(rounded * 60 - duration.total_seconds()) <= 30 or (rounded == 1 and duration.total_seconds() < 30)


def test_locale_codes_take_workdays_form() -> None:
    assert [locale_code(c) for c in ("en_gb", "en-GB", "FR_fr", "es")] == ["en_GB", "en_GB", "fr_FR", "es"]


def test_descriptions_lose_their_markup_and_decode_entities() -> None:
    assert plain_text("<p>Sales &amp; <b>marketing</b></p><p>in 2025</p>") == "Sales & marketing in 2025"


def test_the_wrapper_defaults() -> None:
    course = wrap(content(), AccountSettings())
    assert (course.registrable_status, course.requires_enrollment) == ("Open", True)
    assert [(lesson.order, lesson.mandatory, lesson.kind) for lesson in course.lessons] == [
        (1, True, LessonKind.EXTERNAL)
    ]


def test_the_mobile_lesson_only_when_the_account_asks_and_a_mobile_url_is_given() -> None:
    mobile = content(mobile_url="https://m.provider.example.com/adv-sales-001")
    assert len(wrap(mobile, AccountSettings()).lessons) == 1
    lessons = wrap(mobile, AccountSettings(create_mobile_lesson=True)).lessons
    assert [(lesson.order, lesson.url) for lesson in lessons][1] == (2, "https://m.provider.example.com/adv-sales-001")


def test_the_media_blocker_is_a_mandatory_last_lesson() -> None:
    lessons = wrap(content(), AccountSettings(media_file_wid="f" * 32)).lessons
    assert (lessons[-1].kind, lessons[-1].mandatory, lessons[-1].media_wid) == (LessonKind.MEDIA, True, "f" * 32)


def test_inactive_content_makes_an_inactive_course_and_content_may_waive_enrollment() -> None:
    course = wrap(content(active=False, requires_enrollment=False), AccountSettings())
    assert (course.active, course.requires_enrollment) == (False, False)


A = CatalogCourse("wid-a", "REF-A", "Sales 101")
B = CatalogCourse("wid-b", "REF-B", "Sales 201")


def test_dedup_matches_the_external_reference_first() -> None:
    assert decide_upsert("REF-A", "Sales 101", A, [A]) == Success(UpdateCourse(A, rekeyed=False))


def test_dedup_falls_back_to_the_title_and_rekeys() -> None:
    assert decide_upsert("REF-NEW", "sales  101", None, [A]) == Success(UpdateCourse(A, rekeyed=True))


def test_dedup_creates_when_neither_matches() -> None:
    assert decide_upsert("REF-NEW", "Something else", None, [A, B]) == Success(Create())


def test_dedup_refuses_when_title_and_reference_point_at_different_courses() -> None:
    result = decide_upsert("REF-A", "Sales 201", A, [B])
    assert isinstance(result, Failure)
    assert "refusing to guess" in result.failure().message


titles = st.sampled_from(["Sales 101", "Sales 201", "Tax 1", "sales 101"])
references = st.sampled_from(["REF-A", "REF-B", "REF-C"])


@given(st.lists(st.tuples(references, titles), max_size=12))
def test_upserting_any_sequence_never_leaves_two_courses_with_one_reference_or_title(
    upserts: list[tuple[str, str]],
) -> None:
    catalog: dict[str, CatalogCourse] = {}
    for reference, title in upserts:
        by_reference = next((c for c in catalog.values() if c.external_reference == reference), None)
        decision = decide_upsert(reference, title, by_reference, list(catalog.values()))
        match decision:
            case Success(Create()):
                catalog[f"wid-{len(catalog)}"] = CatalogCourse(f"wid-{len(catalog)}", reference, title)
            case Success(UpdateCourse(course=course)):
                catalog[course.workday_id] = CatalogCourse(course.workday_id, reference, title)
    assert len({c.external_reference for c in catalog.values()}) == len(catalog)
    assert len({c.title.casefold() for c in catalog.values()}) == len(catalog)


@given(references, titles)
def test_upserting_the_same_content_twice_leaves_one_course(reference: str, title: str) -> None:
    first = decide_upsert(reference, title, None, [])
    assert first == Success(Create())
    course = CatalogCourse("wid-1", reference, title)
    assert decide_upsert(reference, title, course, [course]) == Success(UpdateCourse(course, rekeyed=False))
