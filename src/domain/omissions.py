"""What an item lost on its way to Workday: a part the tenant's Workday cannot take (its WSDL has no element for
it), left out of what was sent while the rest went. Reported with the item's result, never silently dropped."""

from __future__ import annotations

from dataclasses import dataclass

from domain.content_dedup import CatalogCourse
from domain.errors import InvalidValue


@dataclass(frozen=True, slots=True)
class Omission:
    """``field`` is the item's field or setting left out (``languages``), ``reason`` why, in Workday's terms."""

    field: str
    reason: str

    def __post_init__(self) -> None:
        if not self.field.strip():
            raise InvalidValue("field", "must name what was left out")
        if not self.reason.strip():
            raise InvalidValue("reason", "must say why it was left out")

    def __str__(self) -> str:
        return f"{self.field} left out: {self.reason}"


@dataclass(frozen=True, slots=True)
class Publication:
    """A course as Workday now holds it (``course``), and what of it the tenant's Workday could not take."""

    course: CatalogCourse
    left_out: tuple[Omission, ...] = ()
