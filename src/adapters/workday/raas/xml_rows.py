"""Rows of a RaaS report in Workday XML (the default format) or Simple XML (``format=simplexml``), parsed
incrementally with lxml; each row is dropped from the tree once read, so memory stays flat.

Both are ``<Report_Data><Report_Entry><alias>…</alias>…</Report_Entry>…</Report_Data>``. Workday XML puts
them in the namespace ``urn:com.workday.report/{Report_Name}`` and writes business objects as references
(``<wd:X wd:Descriptor="…"><wd:ID wd:type="WID">…</wd:ID>…</wd:X>``); only local names are matched, so any
report name works. Hostile XML is refused: no DTD is loaded, no entity resolved, nothing fetched, and a
body with a DOCTYPE is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import cast

from lxml import etree

from adapters.workday.errors import RaasReportError, excerpt
from adapters.workday.raas.rows import Cell, RawRow, Reference

_ROOT = "Report_Data"
_ENTRY = "Report_Entry"


def safe_pull_parser() -> etree.XMLPullParser:
    """An incremental parser that loads no DTD, resolves no entity and touches no network."""
    return etree.XMLPullParser(
        events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )


def refuse_dtd(element: etree._Element) -> None:
    """Raises ``RaasReportError`` if the document ``element`` belongs to declares a DOCTYPE."""
    info = element.getroottree().docinfo
    # lxml reports any DOCTYPE, with or without an internal subset, as an internal DTD (typed non-optional
    # in lxml-stubs, hence the cast).
    if cast("etree.DTD | None", info.internalDTD) is not None:
        raise RaasReportError("report body contains a DTD; refused")


def xml_rows(chunks: Iterable[bytes]) -> Iterator[RawRow]:
    """The rows of a Workday XML or Simple XML report body given in chunks of any size. Raises
    ``RaasReportError`` if the body is not XML, is not a report, has a DTD, or ends early."""
    parser = safe_pull_parser()
    root: etree._Element | None = None
    row_count = 0
    head = b""
    for chunk in chunks:
        if len(head) < 200:
            head += chunk[: 200 - len(head)]
        try:
            parser.feed(chunk)
        except etree.XMLSyntaxError as error:
            raise _not_xml(root, row_count, head, error) from None
        for event, element in parser.read_events():
            if not isinstance(element, etree._Element):
                continue
            if root is None:
                root = _checked_root(element)
            elif event == "end" and element.getparent() is root and _local(element) == _ENTRY:
                row_count += 1
                yield _row(element)
                _forget(element)
    if not head:
        raise RaasReportError("the report body is empty: is this a RaaS report URL?")
    try:
        parser.close()
    except etree.XMLSyntaxError:
        raise RaasReportError(f"the report was cut short after {row_count} rows") from None


def _checked_root(element: etree._Element) -> etree._Element:
    refuse_dtd(element)
    if _local(element) != _ROOT:
        raise RaasReportError(
            f"the report body is XML but not a report (root element {_local(element)!r}, expected {_ROOT!r}): "
            "is this a RaaS report URL?"
        )
    return element


def _not_xml(root: etree._Element | None, row_count: int, head: bytes, error: etree.XMLSyntaxError) -> RaasReportError:
    if root is None:
        body = excerpt(head.decode("utf-8", errors="replace"), 200)
        return RaasReportError(f"the report body is not XML: is this a RaaS report URL? It begins: {body}")
    return RaasReportError(
        f"the report body stopped being well-formed XML after {row_count} rows: {excerpt(str(error), 200)}"
    )


def _forget(element: etree._Element) -> None:
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _row(element: etree._Element) -> RawRow:
    row: dict[str, list[Cell]] = {}
    for child in element.iterchildren(tag=etree.Element):
        row.setdefault(_local(child), []).append(_cell(child))
    return row


def _cell(element: etree._Element) -> Cell:
    children = list(element.iterchildren(tag=etree.Element))
    descriptor = _attribute(element, "Descriptor")
    ids = [child for child in children if _local(child) == "ID"]
    if ids or descriptor is not None:
        return Reference(descriptor, {_attribute(i, "type") or "": (i.text or "").strip() for i in ids})
    if children:
        return _row(element)
    return element.text or ""


def _attribute(element: etree._Element, local_name: str) -> str | None:
    for name, value in element.attrib.items():
        if etree.QName(name).localname == local_name:
            return str(value)
    return None


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname
