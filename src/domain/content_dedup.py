"""How an upsert finds the course it updates (seed 001 section 3.1): by external_reference; failing that, by
title, and then that course's external_reference is updated; failing both, a new course. When the title
points at one course and the external_reference at another, nothing is guessed: the upsert is refused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from returns.result import Failure, Result, Success


@dataclass(frozen=True, slots=True)
class CatalogCourse:
    """A course Workday holds: its Workday ID, reference, title, and whether it is active (not ``Inactive``)."""

    workday_id: str
    external_reference: str
    title: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class Create:
    pass


@dataclass(frozen=True, slots=True)
class UpdateCourse:
    course: CatalogCourse
    rekeyed: bool
    """True when matched by title: the course's external_reference changes to the content's."""


UpsertDecision = Create | UpdateCourse


@dataclass(frozen=True, slots=True)
class DedupConflict:
    message: str


def same_title(a: str, b: str) -> bool:
    """Titles match ignoring case and runs of white space, as a person reading the catalog would."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def decide_upsert(
    external_reference: str, title: str, by_reference: CatalogCourse | None, by_title: Sequence[CatalogCourse]
) -> Result[UpsertDecision, DedupConflict]:
    titled = [c for c in by_title if same_title(c.title, title)]
    if by_reference is not None:
        others = [c for c in titled if c.workday_id != by_reference.workday_id]
        if others:
            return Failure(
                DedupConflict(
                    f"external_reference {external_reference!r} is course {by_reference.workday_id}, but the title "
                    f"{title!r} is course {others[0].workday_id} ({others[0].external_reference!r}): refusing to guess"
                )
            )
        return Success(UpdateCourse(by_reference, rekeyed=False))
    if len(titled) > 1:
        ids = ", ".join(c.workday_id for c in titled)
        return Failure(DedupConflict(f"the title {title!r} matches several courses ({ids}): refusing to guess"))
    if titled:
        return Success(UpdateCourse(titled[0], rekeyed=True))
    return Success(Create())
