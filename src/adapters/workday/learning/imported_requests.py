"""Imported content and imported records as the request dicts of ``Put_Learning_Imported_Content`` and
``Put_Learning_Imported_Record`` that zeep serialises.

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

from adapters.workday.learning.names import (
    COMPLETION_DATE,
    CONTENT_DATA,
    CONTENT_ID_TYPE,
    CONTENT_REFERENCE,
    DESCRIPTION,
    EMPLOYEE_ID,
    GRADE_ID_TYPE,
    GRADE_REFERENCE,
    INACTIVE,
    LEARNER_REFERENCE,
    PUT_CONTENT,
    PUT_RECORD,
    RECORD_DATA,
    TITLE,
)
from adapters.workday.soap.names import ID, VERSION_ATTRIBUTE, Request, reference
from domain.transcripts import ImportedContent, ImportedRecord


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
