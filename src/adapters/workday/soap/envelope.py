"""The envelopes of the operations a delivery sends many times over (the imported-learning Puts, and
``Put_Learning_Enrollment``), written with lxml from a request dict, and their replies read straight into the
reference the adapter returns: zeep's object layer cost more CPU than everything else a request does. The names
come from the tenant's WSDL as the ``Resolution`` resolved it (``Messages``: the request and response elements,
the ``SOAPAction``); the request dict's keys are the resolved element names, as for zeep. zeep still loads the
WSDL and sends every other operation.

A request dict is written as zeep writes it (``tests/contract/test_envelope_equivalence.py`` holds the two to the
same canonical XML on every WSDL variant): each key a child element in the Workday namespace, in the dict's
order; a list repeats its element; None leaves it out; ``version`` on the request element, and every key beside
``_value_1`` (the text) in a dict with simple content, are ``wd:`` attributes; booleans as ``true``/``false``,
dates and times in ISO 8601 (a time in UTC ending in ``Z``), decimals without an exponent. Faults become the same
errors as through zeep (``faults.error_for_fault``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Final

from lxml import etree

from adapters.workday.auth.credentials import IsuCredentials
from adapters.workday.errors import SoapAuthRejected, SoapRequestFailed, WorkdayFault, excerpt
from adapters.workday.soap.faults import error_for_fault
from adapters.workday.soap.names import BSVC, VALUE, VERSION_ATTRIBUTE, Request
from adapters.workday.soap.resolution import Messages
from adapters.workday.soap.wsse import security_header

SOAP_ENV: Final = "http://schemas.xmlsoap.org/soap/envelope/"
_ENVELOPE = f"{{{SOAP_ENV}}}Envelope"
_BODY = f"{{{SOAP_ENV}}}Body"
_FAULT = f"{{{SOAP_ENV}}}Fault"
_NSMAP = {"soap-env": SOAP_ENV}
_WD_NSMAP = {"ns0": BSVC}
_REPLY_PARSER = etree.XMLParser(
    remove_comments=True, resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
)


def write_request(
    messages: Messages, request: Request, credentials: IsuCredentials | None
) -> tuple[bytes, dict[str, str]]:
    """The envelope of a request (with an ISU's WS-Security header when ``credentials`` are given) and the HTTP
    headers it goes with. Raises ``TypeError`` for a value with no XML form, ``ValueError`` for a string that is not
    XML-compatible (as zeep does)."""
    envelope = etree.Element(_ENVELOPE, nsmap=_NSMAP)
    if credentials is not None:
        etree.SubElement(envelope, f"{{{SOAP_ENV}}}Header").append(security_header(credentials))
    body = etree.SubElement(envelope, _BODY)
    element = etree.SubElement(body, f"{{{BSVC}}}{messages.request_element}", nsmap=_WD_NSMAP)
    for key, value in request.items():
        if key == VERSION_ATTRIBUTE:
            element.set(f"{{{BSVC}}}{VERSION_ATTRIBUTE}", _text(value))
        else:
            _append(element, key, value)
    content = etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
    return content, {"SOAPAction": f'"{messages.soap_action}"', "Content-Type": "text/xml; charset=utf-8"}


def _append(parent: etree._Element, name: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, list | tuple):
        for item in value:
            _append(parent, name, item)
        return
    child = etree.SubElement(parent, f"{{{BSVC}}}{name}")
    if not isinstance(value, dict):
        child.text = _text(value)
    elif VALUE in value:  # simple content: the text, and attributes
        for key, item in value.items():
            if key == VALUE:
                child.text = _text(item)
            elif item is not None:
                child.set(f"{{{BSVC}}}{key}", _text(item))
    else:
        for key, item in value.items():
            _append(child, key, item)


def _text(value: object) -> str:
    """A value's text as zeep writes it: a time in UTC ends in ``Z``, a decimal never in an exponent."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, int):
        return str(value)
    raise TypeError(f"{type(value).__name__} has no XML form in a request")


def read_reply(operation: str, messages: Messages, content: bytes) -> etree._Element | None:
    """The response element of Workday's answer to ``operation`` (None when the answer holds no such element, as
    zeep reads it: an empty reply). Raises the fault's error (``faults.error_for_fault``), or ``SoapRequestFailed``
    for an answer that is not a SOAP envelope or declares a DTD."""
    try:
        root = etree.fromstring(content, _REPLY_PARSER)
    except etree.XMLSyntaxError as error:
        raise SoapRequestFailed(
            f"{operation}: Workday's answer is not a SOAP reply (invalid XML: {excerpt(str(error.msg))})"
        ) from None
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]  # the stubs type docinfo loosely
        raise SoapRequestFailed(f"{operation}: Workday's answer declares a DTD or entities; refused")
    if root.tag != _ENVELOPE:
        raise SoapRequestFailed(f"{operation}: Workday's answer is not a SOAP reply (its root is {root.tag})")
    fault = root.find(f"{_BODY}/{_FAULT}")
    if fault is not None:
        raise _fault_error(fault)
    if messages.response_element is None:
        return None
    return root.find(f"{_BODY}/{{{BSVC}}}{messages.response_element}")


def _fault_error(fault: etree._Element) -> WorkdayFault | SoapAuthRejected:
    """A SOAP 1.1 fault's ``faultstring``, ``faultcode`` and ``detail`` (unqualified, as SOAP 1.1 has them)."""

    def text(name: str) -> str | None:
        child = fault.find(name)
        return child.text if child is not None else None

    return error_for_fault(text("faultstring"), text("faultcode"), fault.find("detail"))


def ids(reply: etree._Element | None, reference: str) -> dict[str, str]:
    """The IDs of the reference ``reference`` under ``reply`` as ID type → value; the first of each type wins, and
    an ID without text is skipped (as ``names.ids_of`` reads zeep's dicts)."""
    found: dict[str, str] = {}
    if reply is None:
        return found
    element = reply.find(f"{{{BSVC}}}{reference}")
    if element is None:
        return found
    for id_element in element.iterfind(f"{{{BSVC}}}ID"):
        if id_element.text is not None:
            found.setdefault(str(id_element.get(f"{{{BSVC}}}type")), id_element.text)
    return found
