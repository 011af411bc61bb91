"""The names every Workday SOAP web service shares: its namespace, the ``wd:version`` attribute, references
(``ID`` elements with a ``wd:type``) and the request and response elements of an operation, and the filter and
results of Get operations (reference 1.8). A service's own names are in its package (``learning.names``)."""

from __future__ import annotations

from typing import Final

BSVC: Final = "urn:com.workday/bsvc"
"""The namespace of every Workday schema element and attribute."""
VERSION_ATTRIBUTE: Final = "version"
ID: Final = "ID"
ID_TYPE_ATTRIBUTE: Final = "type"
DESCRIPTOR: Final = "Descriptor"
"""A reference's display name, an attribute Workday sets on the references it answers with."""
VALUE: Final = "_value_1"
"""zeep's key for the text of an element with simple content and attributes, such as a reference's ``ID``."""
WID: Final = "WID"

REQUEST_REFERENCES: Final = "Request_References"
REQUEST_CRITERIA: Final = "Request_Criteria"
RESPONSE_FILTER: Final = "Response_Filter"
RESPONSE_GROUP: Final = "Response_Group"
AS_OF_ENTRY_DATETIME: Final = "As_Of_Entry_DateTime"
PAGE: Final = "Page"
COUNT: Final = "Count"
MAX_COUNT: Final = 999
RESPONSE_RESULTS: Final = "Response_Results"
TOTAL_PAGES: Final = "Total_Pages"
RESPONSE_DATA: Final = "Response_Data"

Request = dict[str, object]


def request_element(operation: str) -> str:
    """The qualified name of an operation's request element."""
    return f"{{{BSVC}}}{operation}_Request"


def response_element(operation: str) -> str:
    return f"{{{BSVC}}}{operation}_Response"


def reference(id_type: str, value: str) -> dict[str, list[dict[str, str]]]:
    """A Workday reference naming one object by one ID."""
    return {ID: [{ID_TYPE_ATTRIBUTE: id_type, VALUE: value}]}


def ids_of(reference: object) -> dict[str, str]:
    """A reference read from a reply (zeep's dict form), as ID type → value; the first of each type wins."""
    ids = reference.get(ID) if isinstance(reference, dict) else None
    found: dict[str, str] = {}
    for entry in ids if isinstance(ids, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get(VALUE), str):
            found.setdefault(str(entry.get(ID_TYPE_ATTRIBUTE)), entry[VALUE])
    return found
