"""A RaaS report row as it comes off the wire, the same for JSON and XML: each column alias maps to the
cells it holds. A column may be absent (no cells), hold text, a business-object reference (Workday XML), or
a ``_group`` of nested rows; a multi-instance column holds several cells."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias


@dataclass(frozen=True, slots=True)
class Reference:
    """A business object in Workday XML: ``<wd:X wd:Descriptor="..."><wd:ID wd:type="WID">…</wd:ID>…</wd:X>``.
    ``ids`` maps each ID type (``WID``, ``Employee_ID``, …) to its value."""

    descriptor: str | None
    ids: Mapping[str, str] = field(default_factory=dict)


Cell: TypeAlias = "str | Reference | RawRow"
RawRow: TypeAlias = Mapping[str, Sequence[Cell]]
