"""Workday's SOAP faults as typed errors: ``wd:Validation_Fault``, ``wd:Processing_Fault``, an authentication
refusal, or another fault.

The shape (reference section 1.6): ``faultcode`` ``SOAP-ENV:Client.validationError`` with
``detail/wd:Validation_Fault/wd:Validation_Error/{wd:Message, wd:Detail_Message, wd:Xpath}`` [S3, S13a, S13b];
``detail/wd:Processing_Fault/wd:Detail_Message`` [S3]; a plain fault ``invalid username or password`` when the
ISU's credentials are wrong [S13e]. Which faultcode a processing fault carries is not known, so the detail
element decides, and the faultcode only for a fault without a Workday detail.
"""

from __future__ import annotations

from lxml import etree

from adapters.workday.errors import (
    SoapAuthRejected,
    ValidationError,
    WorkdayFault,
    WorkdayProcessingFault,
    WorkdayValidationFault,
    excerpt,
)
from adapters.workday.soap.names import BSVC

_AUTH_FAULTSTRINGS = ("invalid username or password",)


def error_for_fault(
    faultstring: str | None, code: str | None, detail: etree._Element | None
) -> WorkdayFault | SoapAuthRejected:
    """The error for a SOAP fault, from zeep's ``Fault.message``, ``.code`` and ``.detail``."""
    message = excerpt(faultstring or "")
    fault_code = code or ""
    validation = _child(detail, "Validation_Fault")
    if validation is not None:
        errors = tuple(_validation_error(e) for e in validation.iterfind(f"{{{BSVC}}}Validation_Error"))
        return WorkdayValidationFault(message or _first_message(errors), errors, fault_code)
    processing = _child(detail, "Processing_Fault")
    if processing is not None:
        return WorkdayProcessingFault(message, _text(processing, "Detail_Message"), fault_code)
    if any(known in message.lower() for known in _AUTH_FAULTSTRINGS):
        return SoapAuthRejected(
            f"the Learning API refused the credentials ({message}): for an ISU, check the user name (sent as "
            "user@tenant), the password and that it has not expired; for OAuth, the API client's scopes and "
            "its refresh token (the access token was refreshed once already)"
        )
    return WorkdayFault(message or "a SOAP fault without a message", fault_code, retryable=_is_server(fault_code))


def _child(detail: etree._Element | None, name: str) -> etree._Element | None:
    if detail is None:
        return None
    found = detail.find(f".//{{{BSVC}}}{name}")
    if found is None and etree.QName(detail).localname == name and etree.QName(detail).namespace == BSVC:
        return detail
    return found


def _validation_error(element: etree._Element) -> ValidationError:
    return ValidationError(
        message=_text(element, "Message") or "",
        detail_message=_text(element, "Detail_Message"),
        xpath=_text(element, "Xpath"),
    )


def _text(element: etree._Element, name: str) -> str | None:
    child = element.find(f"{{{BSVC}}}{name}")
    if child is None or child.text is None:
        return None
    text = " ".join(child.text.split())
    return excerpt(text) if text else None


def _first_message(errors: tuple[ValidationError, ...]) -> str:
    return next((e.message for e in errors if e.message), "Validation error occurred.")


def _is_server(code: str) -> bool:
    return code.rpartition(":")[2].split(".")[0].lower() in ("server", "receiver")
