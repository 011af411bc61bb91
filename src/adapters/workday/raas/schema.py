"""The column aliases a RaaS report declares in its XSD (``?xsds``).

The XSD defines ``Report_EntryType`` with one ``xsd:element`` per column; a group column's type is a
``…_groupType`` with elements of its own. Aliases inside a group are written ``Group.Alias``.
"""

from __future__ import annotations

from lxml import etree

from adapters.workday.errors import RaasReportError, excerpt
from adapters.workday.raas.xml_rows import refuse_dtd

_XSD = "http://www.w3.org/2001/XMLSchema"
_NS = {"xsd": _XSD}


def schema_aliases(xsd: bytes) -> frozenset[str]:
    """Every alias declared under ``Report_EntryType``, nested ones dotted. Raises ``RaasReportError`` if
    ``xsd`` is not a report schema."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        document = etree.fromstring(xsd, parser)
    except etree.XMLSyntaxError as error:
        raise RaasReportError(f"the report schema (?xsds) is not XML: {excerpt(str(error), 200)}") from None
    refuse_dtd(document)
    types = {str(node.get("name")): node for node in document.iterfind("xsd:complexType", _NS)}
    if "Report_EntryType" not in types:
        raise RaasReportError("the report schema (?xsds) has no Report_EntryType: is this a RaaS report URL?")
    return frozenset(_aliases(types, "Report_EntryType", "", frozenset()))


def _aliases(types: dict[str, etree._Element], type_name: str, prefix: str, seen: frozenset[str]) -> list[str]:
    found: list[str] = []
    for element in types[type_name].iterfind(".//xsd:element", _NS):
        name = element.get("name")
        if name is None:
            continue
        found.append(f"{prefix}{name}")
        nested = str(element.get("type") or "").rpartition(":")[2]
        if nested in types and nested not in seen:
            found += _aliases(types, nested, f"{prefix}{name}.", seen | {type_name})
    return found
