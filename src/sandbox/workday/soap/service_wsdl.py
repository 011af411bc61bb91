"""A service's WSDL as package data (the project's Learning and Talent WSDLs): served with its address filled in,
and its XSD compiled once to validate requests, whose violations are reported as Workday reports them."""

from __future__ import annotations

import copy
import functools
import re
from importlib import resources

from lxml import etree

from sandbox.workday.soap.envelopes import WD, workday_xpath
from sandbox.workday.soap.faults import ValidationError

_WSDL = "http://schemas.xmlsoap.org/wsdl/"
_SOAPBIND = "http://schemas.xmlsoap.org/wsdl/soap/"
_XSD = "http://www.w3.org/2001/XMLSchema"
_CLARK = re.compile(r"\{([^}]*)\}([A-Za-z_][\w.\-]*)")


class ServiceWsdl:
    """The WSDL file ``name`` of the package ``package``, read and compiled once."""

    def __init__(self, package: str, name: str) -> None:
        self._package = package
        self._name = name

    @functools.cached_property
    def content(self) -> bytes:
        return resources.files(self._package).joinpath(self._name).read_bytes()

    @functools.cached_property
    def _tree(self) -> etree._Element:
        return etree.fromstring(self.content, etree.XMLParser(resolve_entities=False, no_network=True))

    def document(self, location: str) -> bytes:
        """The WSDL with ``soapbind:address location`` set to ``location`` (the endpoint's absolute URL), as a
        tenant serves it at ``...?wsdl``."""
        tree = copy.deepcopy(self._tree)
        for address in tree.iter(f"{{{_SOAPBIND}}}address"):
            address.set("location", location)
        return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))

    @functools.cached_property
    def schema(self) -> etree.XMLSchema:
        schema = self._tree.find(f"{{{_WSDL}}}types/{{{_XSD}}}schema")
        if schema is None:
            raise RuntimeError(f"{self._name} holds no xsd:schema")
        return etree.XMLSchema(copy.deepcopy(schema))

    def request_elements(self) -> frozenset[str]:
        """The Clark names of the request elements the schema declares (``{urn:com.workday/bsvc}..._Request``)."""
        schema = self._tree.find(f"{{{_WSDL}}}types/{{{_XSD}}}schema")
        assert schema is not None
        names = (element.get("name", "") for element in schema.iterfind(f"{{{_XSD}}}element"))
        return frozenset(f"{{{WD}}}{name}" for name in names if name.endswith("_Request"))

    def errors(self, request: etree._Element) -> list[ValidationError]:
        """The schema violations of ``request`` (the element inside the SOAP Body), each with Workday's Xpath."""
        document = _canonical_copy(request)
        schema = self.schema
        if schema.validate(document):
            return []
        namespaces: dict[str, str] = {}
        for node in document.iter():
            namespaces.update((prefix, uri) for prefix, uri in node.nsmap.items() if prefix)
        errors: list[ValidationError] = []
        for entry in list(schema.error_log):  # type: ignore[call-overload]  # the stubs miss _ErrorLog.__iter__
            node = _node_at(document, entry.path, namespaces)
            errors.append(ValidationError(_workday_message(entry.message, node), workday_xpath(node), entry.message))
        return errors


def _canonical_copy(request: etree._Element) -> etree._Element:
    """A copy of ``request`` where Workday's namespace has the prefix ``bsvc``, so libxml's error paths can be
    resolved whatever prefixes (or default namespace) the client used."""

    def rebuild(source: etree._Element, parent: etree._Element | None) -> etree._Element:
        if parent is None:
            element = etree.Element(source.tag, nsmap={"bsvc": WD})
        else:
            element = etree.SubElement(parent, source.tag)
        for name, value in source.attrib.items():
            element.set(name, value)
        element.text = source.text
        for item in source:
            if isinstance(item.tag, str):
                rebuild(item, element).tail = item.tail
        return element

    return rebuild(request, None)


def _node_at(document: etree._Element, path: str | None, namespaces: dict[str, str]) -> etree._Element:
    if path:
        try:
            found = document.xpath(path, namespaces=namespaces)
        except etree.XPathError:
            found = []
        if isinstance(found, list) and found and isinstance(found[0], etree._Element):
            return found[0]
    return document


def _workday_message(message: str, node: etree._Element) -> str:
    """Workday's wording where it is known (an unexpected element is an "Invalid Subelement", reference 1.6).
    Inferred: the wording of the other messages; libxml's own message goes in Detail_Message."""
    local = etree.QName(node).localname
    parent = node.getparent()
    if "This element is not expected" in message:
        qname = etree.QName(node)
        owner = etree.QName(parent).localname if parent is not None else local
        return f"Invalid Subelement {qname.localname}-{qname.namespace or ''} for element {owner}"
    if "Missing child element(s)" in message:
        expected = _CLARK.findall(message.partition("Expected is")[2])
        names = ", ".join(f"{name}-{namespace}" for namespace, name in expected) or "a required element"
        return f"Required element {names} missing for element {local}"
    text = _CLARK.sub(lambda m: m.group(2), message).removeprefix(f"Element '{local}': ").strip()
    return f"Invalid value for element {local}: {text}"
