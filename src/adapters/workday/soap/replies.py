"""The replies of the Get operations a delivery sends over and over (the catalog's digital courses, a learner's
enrollments, page by page), read with lxml into the dicts zeep's ``serialize_object`` makes of them, for the
elements the connector declares only: zeep's object layer cost more CPU than the rest of such a request.

What is read is the tree of the operation's declared reply elements under the names the tenant's WSDL gives them
(``Resolution.reply``), each value as zeep reads it: the text through the ``pythonvalue`` of the XSD built-in type
the tenant's WSDL gives the element (so a tenant typing a field otherwise gets what zeep would give it), a list
where the WSDL lets the element repeat, a reference as ``{"ID": [{"_value_1": …, "type": …}], "Descriptor": …}``.
An element the reply lacks is left out (zeep's dict holds None, or an empty list; the readers take both alike).
``tests/contract/test_envelope_equivalence_reads.py`` holds the two to the same dicts and the same domain values on
every WSDL variant, for generated replies.

Where the two may differ, on replies Workday does not send (INFERRED: Workday answers in its WSDL's order and
types, as the sandbox does): zeep (strict) refuses an element out of the WSDL's order or unknown to it, honours
``xsi:type`` and reads an element repeated where the WSDL allows one as an error; this reader finds each element by
name, ignores what is not declared, and takes the first of a repeated single element."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from lxml import etree
from zeep.xsd.types.builtins import default_types

from adapters.workday.soap.names import BSVC, DESCRIPTOR, ID, ID_TYPE_ATTRIBUTE, VALUE
from adapters.workday.soap.resolution import REFERENCE, ReplyField

_XSD: Final = "http://www.w3.org/2001/XMLSchema"
_READ_TYPES: Final = (
    "string",
    "normalizedString",
    "token",
    "boolean",
    "decimal",
    "integer",
    "int",
    "long",
    "nonNegativeInteger",
    "positiveInteger",
    "date",
    "dateTime",
)
_CONVERTERS: Final[dict[str, Callable[[str], object]]] = {
    str(qname): kind.pythonvalue for qname, kind in default_types.items() if qname.localname in _READ_TYPES
}
"""zeep's own conversion of each built-in type's text (whitespace collapsed where zeep collapses it)."""
_ID: Final = f"{{{BSVC}}}{ID}"
_ID_TYPE: Final = f"{{{BSVC}}}{ID_TYPE_ATTRIBUTE}"
_DESCRIPTOR: Final = f"{{{BSVC}}}{DESCRIPTOR}"


def readable(fields: tuple[ReplyField, ...]) -> bool:
    """Whether every field is read here as zeep reads it: a reference, an element read by its declared children,
    or a simple type of a built-in this module converts. Else the reply is left to zeep."""
    return all(_readable(field) for field in fields)


def _readable(field: ReplyField) -> bool:
    if field.children:
        return readable(field.children)
    return field.content == REFERENCE or field.content in _CONVERTERS


def read_fields(element: etree._Element, fields: tuple[ReplyField, ...]) -> dict[str, Any]:
    """``fields`` under ``element``, as zeep's dict has them. Call only with ``readable`` fields."""
    read: dict[str, Any] = {}
    for field in fields:
        tag = f"{{{BSVC}}}{field.name}"
        if field.repeats:
            read[field.name] = [_value(child, field) for child in element.iterfind(tag)]
        else:
            child = element.find(tag)
            if child is not None:
                read[field.name] = _value(child, field)
    return read


def _value(element: etree._Element, field: ReplyField) -> object:
    complex_type = bool(field.children) or field.content == REFERENCE
    if complex_type and not len(element) and not element.attrib:
        return None  # as zeep: a complex element without children or attributes is None
    return _content(element, field)


def _content(element: etree._Element, field: ReplyField) -> object:
    if field.children:
        return read_fields(element, field.children)
    if field.content == REFERENCE:
        return _reference(element)
    text = element.text
    if text is None:
        return None
    try:
        return _CONVERTERS[str(field.content)](text)
    except (TypeError, ValueError):  # as zeep: a value its type cannot read is None
        return None


def _reference(element: etree._Element) -> dict[str, object]:
    """A Workday reference: its ``ID`` elements, each with a ``wd:type``, and its ``wd:Descriptor`` (elements and
    attributes qualified in ``urn:com.workday/bsvc`` [HR26, S5, GO31])."""
    ids = [{VALUE: child.text, ID_TYPE_ATTRIBUTE: child.get(_ID_TYPE)} for child in element.iterfind(_ID)]
    return {ID: ids, DESCRIPTOR: element.get(_DESCRIPTOR)}
