"""Workday's SOAP faults: validation errors, processing errors, authentication errors and malformed requests.

Verified shape (reference 1.6): ``SOAP-ENV:Fault`` with ``faultcode`` ``SOAP-ENV:Client.validationError``,
``faultstring`` "Validation error occurred. <message>" and ``detail/wd:Validation_Fault/wd:Validation_Error``
holding ``wd:Message``, ``wd:Detail_Message`` and ``wd:Xpath``, one ``Validation_Error`` per problem; and the
authentication failure's faultstring "invalid username or password".
Inferred: HTTP 500 for every fault (usual for SOAP 1.1; Workday documents no status); the processing fault's code
``SOAP-ENV:Server.processingError`` (a GUESS in reference 1.6); ``SOAP-ENV:Client.authenticationError``; and a
plain ``SOAP-ENV:Client`` fault for a request that is not a readable envelope.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from sandbox.workday.soap.envelopes import SOAP_ENV, WD, wd

FAULT_STATUS = 500  # Inferred: Workday documents no status for its faults.


@dataclass(frozen=True, slots=True)
class ValidationError:
    message: str
    xpath: str
    detail: str | None = None


@dataclass(eq=False)
class SoapFault(Exception):
    """Raised anywhere in a SOAP request's handling to answer with this fault."""

    code: str
    string: str
    validation_errors: tuple[ValidationError, ...] = ()
    processing_detail: str | None = None
    status: int = field(default=FAULT_STATUS)

    def to_xml(self) -> bytes:
        envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"SOAP-ENV": SOAP_ENV})
        body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
        fault = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault", nsmap={"wd": WD})
        etree.SubElement(fault, "faultcode").text = self.code
        etree.SubElement(fault, "faultstring").text = self.string
        if self.validation_errors:
            detail = etree.SubElement(etree.SubElement(fault, "detail"), wd("Validation_Fault"))
            for error in self.validation_errors:
                entry = etree.SubElement(detail, wd("Validation_Error"))
                etree.SubElement(entry, wd("Message")).text = error.message
                etree.SubElement(entry, wd("Detail_Message")).text = error.detail or error.message
                etree.SubElement(entry, wd("Xpath")).text = error.xpath
        elif self.processing_detail is not None:
            detail = etree.SubElement(etree.SubElement(fault, "detail"), wd("Processing_Fault"))
            etree.SubElement(detail, wd("Detail_Message")).text = self.processing_detail
        return bytes(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))


def validation_fault(*errors: ValidationError) -> SoapFault:
    if not errors:
        raise ValueError("a validation fault needs at least one error")
    return SoapFault("SOAP-ENV:Client.validationError", f"Validation error occurred. {errors[0].message}", errors)


def processing_fault(detail: str) -> SoapFault:
    # Inferred (GUESS in reference 1.6): the code and the faultstring; the detail element is in the schema.
    return SoapFault(
        "SOAP-ENV:Server.processingError", f"Processing error occurred. {detail}", processing_detail=detail
    )


def authentication_fault() -> SoapFault:
    return SoapFault("SOAP-ENV:Client.authenticationError", "invalid username or password")


def client_fault(message: str) -> SoapFault:
    return SoapFault("SOAP-ENV:Client", message)


def invalid_id(value: str, id_type: str, xpath: str) -> ValidationError:
    """Workday's message for a reference ID that names nothing (verified wording, reference 1.6)."""
    return ValidationError(f"Invalid ID value. '{value}' is not a valid ID value for type = '{id_type}'", xpath)
