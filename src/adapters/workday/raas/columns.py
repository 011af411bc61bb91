"""Which report column holds each of the connector's canonical fields, and how to read it from a row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

from adapters.workday.errors import RaasColumnsMismatch
from adapters.workday.raas.rows import Cell, RawRow, Reference
from domain.workers import REPORT_FIELDS, REQUIRED_FIELDS

DEFAULT_ALIASES: Mapping[str, str] = MappingProxyType({name: name for name in REPORT_FIELDS})
"""The XML aliases the integration guide asks the customer to give the report's columns."""

_ID_TYPE_FOR_FIELD = {"wid": "WID", "employee_id": "Employee_ID"}

COLUMN_SAMPLE_ROWS: Final = 100
"""How many first rows decide whether the report's columns are the configured ones."""
_FOUND_SHOWN = 20


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

    def column(self, field: str) -> str:
        """The report column holding ``field``: its alias, or the group an alias such as ``X_group.Y`` reaches into."""
        return self._paths[field][0]

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


class ColumnCheck:
    """Whether a report's columns are the configured ones, decided from its first ``sample`` rows as they
    stream past (or from every row of a shorter report): a column every valid row has a value for
    (``REQUIRED_FIELDS``) that none of them holds means the report names its columns otherwise. A report
    in which it only looks so (``sample`` rows in a row without a WID) would have every one of those rows
    rejected anyway. Only the names of the columns seen are kept, never the rows.

    ``see`` and ``finish`` raise ``RaasColumnsMismatch`` naming the expected and the found columns, and
    ``setting`` (where the aliases are configured) as the place to map them."""

    def __init__(self, columns: ReportColumns, setting: str, sample: int = COLUMN_SAMPLE_ROWS) -> None:
        self._columns = columns
        self._setting = setting
        self._sample = sample
        self._rows = 0
        self._found: dict[str, None] = {}  # an ordered set: the columns in the order first seen

    def see(self, row: RawRow) -> None:
        if self._rows >= self._sample:
            return
        self._rows += 1
        self._found.update(dict.fromkeys(row))
        if self._rows == self._sample:
            self._decide()

    def finish(self) -> None:
        """Called at the end of the report: decides for a report shorter than the sample."""
        if 0 < self._rows < self._sample:
            self._decide()

    def _decide(self) -> None:
        missing = [field for field in REQUIRED_FIELDS if self._columns.column(field) not in self._found]
        if not missing:
            return
        expected = tuple(self._columns.aliases[field] for field in REPORT_FIELDS)
        found = tuple(self._found)
        shown = ", ".join(found[:_FOUND_SHOWN]) + (
            f" and {len(found) - _FOUND_SHOWN} more" if len(found) > _FOUND_SHOWN else ""
        )
        absent = ", ".join(self._columns.aliases[field] for field in missing)
        rows = f"its {self._rows} rows" if self._rows < self._sample else f"its first {self._rows} rows"
        raise RaasColumnsMismatch(
            f"the report's columns do not match: {absent} {'is' if len(missing) == 1 else 'are'} in none of {rows}. "
            "Expected "
            f"{', '.join(expected[:-1])} (and optionally {expected[-1]}); found {shown or 'no columns'}. "
            f"If the report names them otherwise, map each to its column under {self._setting}, "
            f'e.g. {missing[0]} = "<the report\'s column>"',
            expected,
            found,
        )
