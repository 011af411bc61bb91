"""SOAP 1.1 on the wire, as Workday writes it: a hardened parser for requests and the envelopes of answers."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WD = "urn:com.workday/bsvc"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
PASSWORD_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"  # noqa: S105


def wd(name: str) -> str:
    """The Clark name of a Workday element or attribute: ``{urn:com.workday/bsvc}name``."""
    return f"{{{WD}}}{name}"


class MalformedRequest(Exception):
    """The body is not a SOAP 1.1 envelope the service will read (not XML, a DOCTYPE, no Body element)."""


@dataclass(frozen=True, slots=True)
class Envelope:
    header: etree._Element | None
    body: etree._Element
    """The one element inside ``Body``: the operation's request."""


def _parser() -> etree.XMLParser:
    # No DTD, no entity expansion, no network, no huge trees: a request is data, never instructions to the parser.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )


def parse_envelope(content: bytes) -> Envelope:
    # A DOCTYPE is refused before parsing (it is how entity bombs and external entities arrive), and again after,
    # whatever the encoding it was hidden in.
    if b"<!doctype" in content[:4096].lower() or b"<!entity" in content.lower():
        raise MalformedRequest("DOCTYPE is not allowed")
    try:
        root = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as error:
        raise MalformedRequest(f"the request is not well-formed XML: {error}") from None
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]  # the stubs type docinfo loosely
        raise MalformedRequest("DOCTYPE is not allowed")
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise MalformedRequest("the request is not a SOAP 1.1 Envelope")
    header = root.find(f"{{{SOAP_ENV}}}Header")
    body = root.find(f"{{{SOAP_ENV}}}Body")
    children = [] if body is None else [child for child in body if isinstance(child.tag, str)]
    if len(children) != 1:
        raise MalformedRequest("the SOAP Body must hold exactly one request element")
    return Envelope(header, children[0])


def response_envelope(payload: etree._Element) -> bytes:
    """A successful answer: Workday writes ``env:Envelope`` with ``xsd`` declared, and the payload in ``wd``."""
    envelope = etree.Element(
        f"{{{SOAP_ENV}}}Envelope", nsmap={"env": SOAP_ENV, "xsd": "http://www.w3.org/2001/XMLSchema"}
    )
    etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body").append(payload)
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))


def workday_element(name: str, version: str | None = None) -> etree._Element:
    """A root payload element ``wd:name`` (with ``wd:version`` when given)."""
    element = etree.Element(wd(name), nsmap={"wd": WD})
    if version is not None:
        element.set(wd("version"), version)
    return element


def child(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, wd(name))
    if text is not None:
        element.text = text
    return element


def workday_xpath(element: etree._Element) -> str:
    """Where ``element`` is in the request, as Workday writes it in ``Xpath``:
    ``/bsvc:Put_..._Request[1]/bsvc:..._Data[1]/bsvc:Learner_Reference[1]``, from the request element down."""
    steps: list[str] = []
    node: etree._Element | None = element
    while node is not None and node.tag != f"{{{SOAP_ENV}}}Body":
        qname = etree.QName(node)
        parent = node.getparent()
        siblings = [node] if parent is None else [s for s in parent if s.tag == node.tag]
        prefix = "bsvc:" if qname.namespace == WD else ""
        steps.append(f"{prefix}{qname.localname}[{siblings.index(node) + 1}]")
        node = parent
    return "/" + "/".join(reversed(steps))
