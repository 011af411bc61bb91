"""Read-only views of what the account's Workday holds: its digital courses (a list, and one in full), its
skills, and the enrollments of a learner or of a course. Lists are paged by an opaque cursor, as categories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path
from returns.result import Failure, Result, Success

from app.http.auth import Authorized
from app.http.errors import ApiError
from app.http.paging import NextCursor, PageSize, page_of
from app.http.routes_completions import LearnerId
from app.http.view_schemas import (
    ContentDetailOne,
    ContentDetailOut,
    ContentPage,
    ContentSummaryOut,
    EnrollmentOut,
    EnrollmentPage,
    SkillPage,
    named_out,
)
from app.use_cases.lms import LmsRefusal
from domain.learning_completions import Enrollment

router = APIRouter()

ExternalReference = Annotated[
    str, Path(min_length=1, max_length=400, description="The course's external reference (Workday's course ID).")
]


@router.get("/unified/lms/content", response_model=ContentPage, tags=["content"])
def list_content(caller: Authorized, next_cursor: NextCursor = None, page_size: PageSize = 100) -> ContentPage:
    """Every digital course in Workday's catalog, by external reference. ``next`` is null on the last page."""
    page, following = page_of(caller.tenant.list_content(), next_cursor, page_size)
    return ContentPage(data=[ContentSummaryOut.of(c) for c in page], next=following)


@router.get("/unified/lms/content/{external_reference}", response_model=ContentDetailOne, tags=["content"])
def show_content(caller: Authorized, external_reference: ExternalReference) -> ContentDetailOne:
    """One course as Workday holds it: lessons, categories, skills, languages, duration, whether enrollment is
    required, and its cover image's size. Fields the tenant's catalog cannot read are listed in ``not_read``."""
    match caller.tenant.show_content()(external_reference):
        case Success(detail):
            return ContentDetailOne(data=ContentDetailOut.of_detail(detail))
        case Failure(refusal):
            raise ApiError.from_refusal(refusal)
    raise AssertionError("unreachable")  # pragma: no cover


@router.get(
    "/unified/lms/content/{external_reference}/completions", response_model=EnrollmentPage, tags=["completions"]
)
def course_enrollments(
    caller: Authorized, external_reference: ExternalReference, next_cursor: NextCursor = None, page_size: PageSize = 100
) -> EnrollmentPage:
    """Every learner's enrollment in the course as Workday holds it, completed or not, pushed or created when
    the learner launched the content (``launched_only``)."""
    return _page(lambda: caller.tenant.list_enrollments()(None, external_reference), next_cursor, page_size)


@router.get("/unified/lms/users/{id}/completions", response_model=EnrollmentPage, tags=["completions"])
def learner_enrollments(
    caller: Authorized, learner_id: LearnerId, next_cursor: NextCursor = None, page_size: PageSize = 100
) -> EnrollmentPage:
    """The learner's enrollments in every course as Workday holds them (not the outbox's pending completions:
    ``GET .../completions/{completion_id}`` shows one of those)."""
    return _page(lambda: caller.tenant.list_enrollments()(learner_id, None), next_cursor, page_size)


@router.get("/unified/lms/skills", response_model=SkillPage, tags=["skills"])
def list_skills(caller: Authorized, next_cursor: NextCursor = None, page_size: PageSize = 100) -> SkillPage:
    """Workday's skills, by name: the names and IDs content may use. ``next`` is null on the last page."""
    page, following = page_of(caller.tenant.list_skills(), next_cursor, page_size)
    return SkillPage(data=[named_out(s) for s in page], next=following)


def _page(
    listing: Callable[[], Result[list[Enrollment], LmsRefusal]], cursor: str | None, page_size: int
) -> EnrollmentPage:
    def enrollments() -> list[EnrollmentOut]:
        match listing():
            case Success(found):
                return [EnrollmentOut.of(e) for e in found]
            case Failure(refusal):
                raise ApiError.from_refusal(refusal)
        raise AssertionError("unreachable")  # pragma: no cover

    page, following = page_of(enrollments, cursor, page_size)
    return EnrollmentPage(data=page, next=following)
