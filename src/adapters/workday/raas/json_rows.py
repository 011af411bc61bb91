"""Rows of a RaaS report in JSON (``format=json``), parsed incrementally: memory stays flat in the size of
the report. The body is ``{"Report_Entry": [row, …]}``; each row maps column aliases to text, numbers or
``_group`` lists of nested rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import ijson

from adapters.workday.errors import RaasReportError, excerpt
from adapters.workday.raas.rows import Cell, RawRow

_ENTRIES = "Report_Entry"
_ROW_PREFIXES = frozenset({f"{_ENTRIES}.item", _ENTRIES})
_OPENERS = frozenset({"start_map", "start_array"})
_CLOSERS = frozenset({"end_map", "end_array"})


def json_rows(chunks: Iterable[bytes]) -> Iterator[RawRow]:
    """The rows of a JSON report body given in chunks of any size. Raises ``RaasReportError`` if the body is
    not JSON, has no top-level ``Report_Entry``, or ends early."""
    events = ijson.sendable_list()
    parser = ijson.parse_coro(events)
    report = _ReportEvents()
    for chunk in chunks:
        report.note_bytes(chunk)
        try:
            parser.send(chunk)
        except ijson.JSONError as error:
            raise report.not_json(error) from None
        yield from report.rows(events)
        del events[:]
    if not report.started:
        raise RaasReportError("the report body is empty: is this a RaaS report URL?")
    try:
        parser.close()
    except ijson.JSONError:
        raise RaasReportError(f"the report was cut short after {report.row_count} rows") from None
    yield from report.rows(events)
    report.finish()


class _ReportEvents:
    """Turns ijson events into rows, keeping only the row being built."""

    def __init__(self) -> None:
        self.started = False
        self.row_count = 0
        self._head = b""
        self._saw_entries = False
        self._builder: ijson.ObjectBuilder | None = None
        self._depth = 0

    def note_bytes(self, chunk: bytes) -> None:
        if len(self._head) < 200:
            self._head += chunk[: 200 - len(self._head)]
        self.started = self.started or bool(chunk)

    def not_json(self, error: ijson.JSONError) -> RaasReportError:
        if self.row_count == 0 and not self._saw_entries:
            body = excerpt(self._head.decode("utf-8", errors="replace"), 200)
            return RaasReportError(f"the report body is not JSON: is this a RaaS report URL? It begins: {body}")
        return RaasReportError(
            f"the report body stopped being valid JSON after {self.row_count} rows: {excerpt(str(error), 200)}"
        )

    def rows(self, events: Iterable[tuple[str, str, object]]) -> Iterator[RawRow]:
        for prefix, event, value in events:
            if self._builder is not None:
                row = self._build(event, value)
                if row is not None:
                    yield row
            elif prefix == "":
                self._top_level(event, value)
            elif prefix in _ROW_PREFIXES and event == "start_map":
                # Report_Entry as a bare object (a report of one row) is read as a one-row list.
                self._builder = ijson.ObjectBuilder()
                self._depth = 0
                self._build(event, value)
            elif prefix == _ENTRIES and event not in {"start_array", "end_array"}:
                raise RaasReportError(f"the report's Report_Entry is not a list of rows (got {event})")
            elif prefix == f"{_ENTRIES}.item":
                self.row_count += 1
                yield {}

    def finish(self) -> None:
        if not self._saw_entries:
            raise RaasReportError("the report has no Report_Entry: is this a RaaS report URL?")

    def _top_level(self, event: str, value: object) -> None:
        if event == "map_key" and value == _ENTRIES:
            self._saw_entries = True
        elif event not in {"start_map", "end_map", "map_key"}:
            raise RaasReportError("the report body is not a JSON object: is this a RaaS report URL?")

    def _build(self, event: str, value: object) -> RawRow | None:
        assert self._builder is not None
        self._builder.event(event, value)
        if event in _OPENERS:
            self._depth += 1
        elif event in _CLOSERS:
            self._depth -= 1
            if self._depth == 0:
                built = self._builder.value
                self._builder = None
                self.row_count += 1
                return _row(built)
        return None


def _row(obj: object) -> RawRow:
    if not isinstance(obj, dict):
        return {}
    return {str(key): _cells(value) for key, value in obj.items()}


def _cells(value: object) -> list[Cell]:
    if value is None:
        return []
    if isinstance(value, list):
        return [cell for item in value for cell in _cells(item)]
    if isinstance(value, dict):
        # A _group with one instance may arrive as a bare object instead of a one-element list.
        return [_row(value)]
    return [_scalar(value)]


def _scalar(value: object) -> str:
    # Workday writes booleans as "1"/"0"; numbers (an employee id of 21001) are kept as their text.
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)
