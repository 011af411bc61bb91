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
- Every element name and ID type is the one the tenant's WSDL resolves (``contract``, whose candidates start with
  the sourced names of ``names``): the ID types of the learner, the content and the grade are the first
  candidates its enumerations list.
"""

from __future__ import annotations

from adapters.workday.learning import contract
from adapters.workday.soap.names import VERSION_ATTRIBUTE, Request, reference
from adapters.workday.soap.resolution import RequestNames
from domain.transcripts import ImportedContent, ImportedRecord


def content_request(content: ImportedContent, version: str, names: RequestNames) -> Request:
    """The keyword arguments of ``Put_Learning_Imported_Content`` for ``content``, in the tenant's ``names``; a
    description its WSDL cannot take is left out (and noted in ``names.left_out``)."""
    data: Request = {names[contract.CONTENT_ID]: content.id, names[contract.CONTENT_TITLE]: content.title}
    if names.takes(contract.CONTENT_DESCRIPTION):
        data[names[contract.CONTENT_DESCRIPTION]] = content.description
    return {VERSION_ATTRIBUTE: version, names[contract.CONTENT_DATA]: data}


def record_request(record: ImportedRecord, version: str, names: RequestNames) -> Request:
    """The keyword arguments of ``Put_Learning_Imported_Record`` for ``record``, in the tenant's ``names``: the
    content and the grade referenced by the ID types its WSDL lists."""
    data: Request = {
        names[contract.RECORD_ID]: record.id,
        names[contract.RECORD_LEARNER]: reference(names[contract.RECORD_LEARNER_ID_TYPE], record.learner_employee_id),
        names[contract.RECORD_CONTENT]: reference(names[contract.RECORD_CONTENT_ID_TYPE], record.content_id),
        names[contract.RECORD_COMPLETION_DATE]: record.completion_date,
        names[contract.RECORD_GRADE]: reference(names[contract.RECORD_GRADE_ID_TYPE], record.grade),
        names[contract.RECORD_INACTIVE]: record.inactive,
    }
    return {VERSION_ATTRIBUTE: version, names[contract.RECORD_DATA]: data}
