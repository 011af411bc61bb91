"""The RaaS output formats, written by hand as Workday writes them, one report entry at a time.

Every format omits an empty field from its entry (Workday's XSD declares every field ``minOccurs="0"``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from xml.sax.saxutils import escape as _sax_escape
from xml.sax.saxutils import quoteattr

from sandbox.population import ReportRow

_JSON = json.JSONEncoder(ensure_ascii=False)
_OFFSET_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})")


class ServedReportFormat(StrEnum):
    """The ``format`` query parameter's values; no parameter means Workday XML."""

    WORKDAY_XML = "workdayxml"
    SIMPLE_XML = "simplexml"
    JSON = "json"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class ReportLayout:
    """A report's name and columns, as (canonical name, alias) in order."""

    report_name: str
    columns: tuple[tuple[str, str], ...]
    xml_references: bool = False

    @property
    def namespace(self) -> str:
        return f"urn:com.workday.report/{self.report_name}"

    def present(self, row: ReportRow) -> list[tuple[str, str, str]]:
        """The row's non-empty fields as (canonical name, alias, value)."""
        return [(name, alias, value) for name, alias in self.columns if (value := row.get(name))]


class ReportWriter(Protocol):
    media_type: str

    def head(self) -> str: ...

    def entry(self, row: ReportRow, first: bool) -> str: ...

    def tail(self) -> str: ...


class JsonReport:
    media_type = "application/json; charset=utf-8"

    def __init__(self, layout: ReportLayout) -> None:
        self._layout = layout

    def head(self) -> str:
        return '{"Report_Entry":['

    def entry(self, row: ReportRow, first: bool) -> str:
        fields = {alias: value for _, alias, value in self._layout.present(row)}
        return ("" if first else ",\n") + _JSON.encode(fields)

    def tail(self) -> str:
        return "]}"


class WorkdayXmlReport:
    """``<wd:Report_Data>`` in the report's namespace. With ``xml_references`` the ``wid`` column is a
    business-object reference carrying the worker's WID and Employee_ID, as Workday renders a Worker column."""

    media_type = "text/xml; charset=utf-8"

    def __init__(self, layout: ReportLayout) -> None:
        self._layout = layout

    def head(self) -> str:
        namespace = quoteattr(self._layout.namespace)
        return f"<?xml version='1.0' encoding='UTF-8'?>\n<wd:Report_Data xmlns:wd={namespace}>\n"

    def entry(self, row: ReportRow, first: bool) -> str:
        parts = ["<wd:Report_Entry>"]
        for name, alias, value in self._layout.present(row):
            if name == "wid" and self._layout.xml_references:
                parts.append(_reference(alias, value, row))
            else:
                parts.append(f"<wd:{alias}>{escape(value)}</wd:{alias}>")
        parts.append("</wd:Report_Entry>\n")
        return "".join(parts)

    def tail(self) -> str:
        return "</wd:Report_Data>"


def _reference(alias: str, wid: str, row: ReportRow) -> str:
    descriptor = " ".join(n.strip() for n in (row.get("first_name"), row.get("last_name")) if n and n.strip())
    ids = [f'<wd:ID wd:type="WID">{escape(wid)}</wd:ID>']
    if employee_id := row.get("employee_id"):
        ids.append(f'<wd:ID wd:type="Employee_ID">{escape(employee_id)}</wd:ID>')
    return f"<wd:{alias} wd:Descriptor={quoteattr(descriptor)}>{''.join(ids)}</wd:{alias}>"


class SimpleXmlReport:
    """Inferred: Simple XML is the same tree without a namespace or prefix (no primary sample seen). Dates are
    written without their offset, as the Simple XML option is documented to do."""

    media_type = "text/xml; charset=utf-8"

    def __init__(self, layout: ReportLayout) -> None:
        self._layout = layout

    def head(self) -> str:
        return "<?xml version='1.0' encoding='UTF-8'?>\n<Report_Data>\n"

    def entry(self, row: ReportRow, first: bool) -> str:
        fields = "".join(
            f"<{alias}>{escape(_without_offset(value))}</{alias}>" for _, alias, value in self._layout.present(row)
        )
        return f"<Report_Entry>{fields}</Report_Entry>\n"

    def tail(self) -> str:
        return "</Report_Data>"


def escape(text: str) -> str:
    """XML character data; the common case (nothing to escape) stays cheap on a million-row report."""
    return _sax_escape(text) if "&" in text or "<" in text or ">" in text else text


def _without_offset(value: str) -> str:
    match = _OFFSET_DATE.fullmatch(value)
    return value if match is None else match[1]


class CsvReport:
    """Inferred: a header row of the column aliases, then one line per entry, empty fields as empty cells."""

    media_type = "text/csv; charset=utf-8"

    def __init__(self, layout: ReportLayout) -> None:
        self._layout = layout

    def head(self) -> str:
        return self._line([alias for _, alias in self._layout.columns])

    def entry(self, row: ReportRow, first: bool) -> str:
        return self._line([row.get(name) or "" for name, _ in self._layout.columns])

    def tail(self) -> str:
        return ""

    @staticmethod
    def _line(cells: list[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(cells)
        return buffer.getvalue()


def report_writer(fmt: ServedReportFormat, layout: ReportLayout) -> ReportWriter:
    writers: dict[ServedReportFormat, type[JsonReport | WorkdayXmlReport | SimpleXmlReport | CsvReport]] = {
        ServedReportFormat.JSON: JsonReport,
        ServedReportFormat.WORKDAY_XML: WorkdayXmlReport,
        ServedReportFormat.SIMPLE_XML: SimpleXmlReport,
        ServedReportFormat.CSV: CsvReport,
    }
    return writers[fmt](layout)
