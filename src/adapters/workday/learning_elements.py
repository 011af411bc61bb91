"""Every Workday Learning element and ID type the connector sends or reads, and the mapping of imported content
and imported records to the request dicts zeep serialises. The one place that holds Workday's names: the
evidence for each is in ``docs/workday-contract.md``, and ``check_wsdl`` compares them with a tenant's WSDL.

Decisions (see the contract document):
- ``Learning_Imported_Content_Reference`` / ``Learning_Imported_Record_Reference`` are left out of the
  requests, as the seed leaves them blank: the item's ``ID`` in the data element names it.
- Start Date and Overall Score are left out (the seed: "blank, not applicable").
- A record always carries ``Inactive`` (``true`` when the completion was revoked, ``false`` otherwise), so a
  record inactivated earlier is reactivated when the provider restores the completion; content carries no
  ``Inactive``, since the connector never inactivates content.
- Every request carries the ``wd:version`` attribute, the version of the endpoint it is sent to.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from domain.transcripts import ImportedContent, ImportedRecord

BSVC: Final = "urn:com.workday/bsvc"
"""The namespace of every Workday schema element and attribute."""
LEARNING_NS: Final = "urn:com.workday/bsvc/Learning"
"""The Learning WSDL's target namespace."""
LEARNING_BINDING: Final = f"{{{LEARNING_NS}}}LearningBinding"

PUT_CONTENT: Final = "Put_Learning_Imported_Content"
PUT_RECORD: Final = "Put_Learning_Imported_Record"

VERSION_ATTRIBUTE: Final = "version"
ID: Final = "ID"
ID_TYPE_ATTRIBUTE: Final = "type"
VALUE: Final = "_value_1"
"""zeep's key for the text of an element with simple content and attributes, such as a reference's ``ID``."""

CONTENT_REFERENCE: Final = "Learning_Imported_Content_Reference"
CONTENT_DATA: Final = "Learning_Imported_Content_Data"
TITLE: Final = "Title"
DESCRIPTION: Final = "Description"
INACTIVE: Final = "Inactive"

RECORD_REFERENCE: Final = "Learning_Imported_Record_Reference"
RECORD_DATA: Final = "Learning_Imported_Record_Data"
LEARNER_REFERENCE: Final = "Learner_Reference"
COMPLETION_DATE: Final = "Completion_Date"
GRADE_REFERENCE: Final = "Learning_Grade_Reference"

WID: Final = "WID"
EMPLOYEE_ID: Final = "Employee_ID"
CONTENT_ID_TYPE: Final = "Learning_Imported_Content_ID"
RECORD_ID_TYPE: Final = "Learning_Imported_Record_ID"
GRADE_ID_TYPE: Final = "Learning_Grade_ID"

RESPONSE_REFERENCES: Final = {
    PUT_CONTENT: (CONTENT_REFERENCE, CONTENT_ID_TYPE),
    PUT_RECORD: (RECORD_REFERENCE, RECORD_ID_TYPE),
}
"""For each operation, the reference its response carries and the ID types the connector reads from it
(``WID`` first, this one as the fallback)."""

Request = dict[str, object]


def request_element(operation: str) -> str:
    """The qualified name of an operation's request element."""
    return f"{{{BSVC}}}{operation}_Request"


def response_element(operation: str) -> str:
    return f"{{{BSVC}}}{operation}_Response"


def reference(id_type: str, value: str) -> dict[str, list[dict[str, str]]]:
    """A Workday reference naming one object by one ID."""
    return {ID: [{ID_TYPE_ATTRIBUTE: id_type, VALUE: value}]}


def content_request(content: ImportedContent, version: str) -> Request:
    """The keyword arguments of ``Put_Learning_Imported_Content`` for ``content``."""
    data: Request = {ID: content.id, TITLE: content.title, DESCRIPTION: content.description}
    return {VERSION_ATTRIBUTE: version, CONTENT_DATA: data}


def record_request(record: ImportedRecord, version: str) -> Request:
    """The keyword arguments of ``Put_Learning_Imported_Record`` for ``record``."""
    data: Request = {
        ID: record.id,
        LEARNER_REFERENCE: reference(EMPLOYEE_ID, record.learner_employee_id),
        CONTENT_REFERENCE: reference(CONTENT_ID_TYPE, record.content_id),
        COMPLETION_DATE: record.completion_date,
        GRADE_REFERENCE: reference(GRADE_ID_TYPE, record.grade),
        INACTIVE: record.inactive,
    }
    return {VERSION_ATTRIBUTE: version, RECORD_DATA: data}


def fullest_requests(version: str) -> dict[str, Request]:
    """For each operation, a request holding every element and ID type the mapping can send: what a tenant's
    schema must accept."""
    content = ImportedContent(1, "course-id", "Title", "Description")
    record = ImportedRecord(1, "completion-id", "employee-id", "course-id", date(2000, 1, 1), inactive=True)
    return {PUT_CONTENT: content_request(content, version), PUT_RECORD: record_request(record, version)}
