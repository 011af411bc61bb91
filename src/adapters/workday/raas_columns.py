"""Which report column holds each of the connector's canonical fields, and how to read it from a row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from adapters.workday.raas_rows import Cell, RawRow, Reference
from domain.workers import REPORT_FIELDS

DEFAULT_ALIASES: Mapping[str, str] = MappingProxyType({name: name for name in REPORT_FIELDS})
"""The XML aliases the integration guide asks the customer to give the report's columns."""

_ID_TYPE_FOR_FIELD = {"wid": "WID", "employee_id": "Employee_ID"}


class ReportColumns:
    """The report's XML alias for each canonical field in ``domain.workers.REPORT_FIELDS``.

    An alias may reach into a group with a dot (``Email_group.Email_Address``); the first non-empty value
    wins. Fields not given keep their default alias (the canonical name).
    """

    def __init__(self, aliases: Mapping[str, str] | None = None) -> None:
        given = dict(aliases or {})
        unknown = sorted(set(given) - set(REPORT_FIELDS))
        if unknown:
            raise ValueError(f"unknown report fields {unknown}; the fields are {list(REPORT_FIELDS)}")
        merged = {**DEFAULT_ALIASES, **given}
        paths = {name: tuple(part.strip() for part in alias.split(".")) for name, alias in merged.items()}
        blank = sorted(name for name, path in paths.items() if not all(path))
        if blank:
            raise ValueError(f"blank column alias for {blank}")
        self.aliases: Mapping[str, str] = MappingProxyType(merged)
        self._paths = paths

    def __repr__(self) -> str:
        return f"ReportColumns({dict(self.aliases)!r})"

    def fields(self, row: RawRow) -> dict[str, str | None]:
        """The canonical fields of ``row``, ``None`` where the column is absent or empty."""
        return {name: _first_text(name, _cells(row, path)) for name, path in self._paths.items()}


def _cells(row: RawRow, path: tuple[str, ...]) -> Iterable[Cell]:
    head, rest = path[0], path[1:]
    for cell in row.get(head, ()):
        if not rest:
            yield cell
        elif isinstance(cell, Mapping):
            yield from _cells(cell, rest)


def _first_text(field: str, cells: Iterable[Cell]) -> str | None:
    for cell in cells:
        text = _text(field, cell)
        if text is not None and text.strip():
            return text
    return None


def _text(field: str, cell: Cell) -> str | None:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Reference):
        id_type = _ID_TYPE_FOR_FIELD.get(field)
        # An identifier field never falls back to the descriptor: a name taken for an employee id would pass.
        return cell.descriptor if id_type is None else cell.ids.get(id_type)
    return None


def workday_boolean(text: str | None) -> bool | None:
    """A RaaS boolean column: Workday writes ``"1"`` and ``"0"``; absent or blank is ``None``."""
    if text is None or not text.strip():
        return None
    value = text.strip().lower()
    if value in {"1", "true"}:
        return True
    if value in {"0", "false"}:
        return False
    raise ValueError(f"{text!r} is not a Workday boolean (0 or 1)")
