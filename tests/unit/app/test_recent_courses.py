"""RecentCourses: a completion push finds its course among the courses last read, for a while, instead of reading
the whole catalog for every completion; never a wrong "not found" for a course published since."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from adapters.fakes import FixedClock
from app.use_cases.lms import RecentCourses
from domain.content_dedup import CatalogCourse


class CountingCatalog:
    """A catalog of ``courses`` (changed by the tests as Workday's would be), counting its full reads."""

    def __init__(self, *courses: CatalogCourse) -> None:
        self.held = list(courses)
        self.reads = 0

    def courses(self) -> list[CatalogCourse]:
        self.reads += 1
        return list(self.held)

    def course_by_reference(self, external_reference: str) -> CatalogCourse | None:
        return next((c for c in self.courses() if c.external_reference == external_reference), None)

    def courses_by_title(self, title: str) -> list[CatalogCourse]:
        raise AssertionError("not asked")

    def lessons(self, course: CatalogCourse) -> list[object]:
        raise AssertionError("not asked")

    def course_detail(self, external_reference: str) -> None:
        raise AssertionError("not asked")


SALES = CatalogCourse("WID-1", "SALES-1", "Sales")
TAX = CatalogCourse("WID-2", "TAX-1", "Tax")


def recent(catalog: CountingCatalog, keep: float = 60.0) -> tuple[RecentCourses, FixedClock]:
    clock = FixedClock(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    return RecentCourses(catalog, clock, keep), clock  # type: ignore[arg-type]  # the port's reads not asked here


def test_lookups_within_the_time_kept_read_the_catalog_once() -> None:
    catalog = CountingCatalog(SALES, TAX)
    courses, clock = recent(catalog)

    found = [courses.course_by_reference("SALES-1"), courses.course_by_reference("TAX-1")]
    clock.advance(timedelta(seconds=59))
    found.append(courses.course_by_reference("SALES-1"))

    assert found == [SALES, TAX, SALES]
    assert catalog.reads == 1


def test_a_course_published_since_the_read_is_found_at_once() -> None:
    catalog = CountingCatalog(SALES)
    courses, _ = recent(catalog)
    assert courses.course_by_reference("SALES-1") == SALES

    catalog.held.append(TAX)

    assert courses.course_by_reference("TAX-1") == TAX
    assert catalog.reads == 2


def test_a_course_moved_is_found_as_it_now_is_once_the_time_kept_is_over() -> None:
    catalog = CountingCatalog(SALES)
    courses, clock = recent(catalog)
    courses.course_by_reference("SALES-1")
    moved = CatalogCourse("WID-9", "SALES-1", "Sales, again")
    catalog.held = [moved]

    clock.advance(timedelta(seconds=60))

    assert courses.course_by_reference("SALES-1") == moved


def test_none_kept_reads_the_catalog_for_every_lookup() -> None:
    catalog = CountingCatalog(SALES)
    courses, _ = recent(catalog, keep=0)

    for _ in range(3):
        courses.course_by_reference("SALES-1")

    assert catalog.reads == 3


@given(
    held=st.lists(
        st.builds(
            CatalogCourse, st.sampled_from(["W1", "W2", "W3", "W4"]), st.sampled_from(["A", "B", "C"]), st.just("t")
        ),
        max_size=8,
    ),
    asked=st.lists(st.sampled_from(["A", "B", "C", "D"]), min_size=1, max_size=10),
)
def test_every_lookup_answers_as_the_catalog_itself_would_while_it_does_not_change(
    held: list[CatalogCourse], asked: list[str]
) -> None:
    catalog = CountingCatalog(*held)
    courses, _ = recent(catalog)

    for reference in asked:
        assert courses.course_by_reference(reference) == catalog.course_by_reference(reference)
