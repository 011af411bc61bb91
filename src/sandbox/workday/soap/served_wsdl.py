"""One service's WSDL as the sandbox serves it: the project's own, changed once at start by a WSDL variant
(``sandbox.workday.wsdl_variants``). The same changed WSDL is served at ``?wsdl``, compiled to validate requests
(violations reported as Workday reports them) and decides which request elements are operations, so the sandbox
refuses what that tenant's Workday would refuse.

The operations are written in the sourced names. ``to_canonical`` turns an accepted request's names into them
(refusing an ID type the variant renamed away) and ``to_served`` turns an answer's names back into the variant's.
"""

from __future__ import annotations

import copy
import functools
import re
from importlib import resources

from lxml import etree

from sandbox.workday.soap.envelopes import WD, wd, workday_xpath
from sandbox.workday.soap.faults import ValidationError, validation_fault
from sandbox.workday.wsdl_variants import (
    Change,
    RemoveElement,
    RemoveOperation,
    RenameElement,
    RenameIdType,
    RenameRequestElement,
)

_WSDL = "http://schemas.xmlsoap.org/wsdl/"
_SOAPBIND = "http://schemas.xmlsoap.org/wsdl/soap/"
_XSD = "http://www.w3.org/2001/XMLSchema"
_NS = {"wsdl": _WSDL, "xsd": _XSD, "wd": WD}
_CLARK = re.compile(r"\{([^}]*)\}([A-Za-z_][\w.\-]*)")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_VERDICT_COMMENT = re.compile(r"(UNSOURCED|INFERRED|CONTRADICTED|CONFIRMED) \(evidence ")


@functools.cache
def sourced_wsdl(service: str) -> bytes:
    """The project's WSDL of ``service`` (``Learning``, ``Talent``), package data: the sourced contract."""
    return resources.files(f"sandbox.workday.{service.lower()}.wsdl").joinpath(f"{service}.wsdl").read_bytes()


class ServedWsdl:
    """``source`` (the project's WSDL of ``service``) with ``changes`` applied. Raises ``ValueError`` for a change
    that finds nothing to change: a variant that changes nothing would prove nothing."""

    def __init__(self, service: str, source: bytes, changes: tuple[Change, ...] = ()) -> None:
        self.service = service
        self._tree = etree.fromstring(source, _PARSER)
        self._element_names: dict[str, str] = {}
        """Renamed elements: sourced name → served name."""
        self._id_types: dict[str, str] = {}
        """Renamed ID types: sourced → served."""
        self._request_names: dict[str, str] = {}
        """Renamed request elements: served local name → sourced."""
        self._removed: set[tuple[str, str]] = set()
        """(parent element, child element) local names an answer must not carry."""
        for change in changes:
            self._apply(change)
        schema = self._schema_element()
        self._schema = etree.XMLSchema(copy.deepcopy(schema))
        self._requests = {wd(name): wd(self._request_names.get(name, name)) for name in self._input_elements()}

    # What is served

    def document(self, location: str) -> bytes:
        """The WSDL with ``soapbind:address location`` set to ``location`` (the endpoint's absolute URL), as a
        tenant serves it at ``...?wsdl``."""
        tree = copy.deepcopy(self._tree)
        for address in tree.iter(f"{{{_SOAPBIND}}}address"):
            address.set("location", location)
        return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))

    def operation_of(self, tag: str) -> str | None:
        """The sourced request element (Clark name) of the operation whose served request element is ``tag``;
        None when no operation of the served WSDL takes it."""
        return self._requests.get(tag)

    def schema_errors(self, request: etree._Element) -> list[ValidationError]:
        """The schema violations of ``request`` (the element inside the SOAP Body), each with Workday's Xpath."""
        document = _canonical_copy(request)
        if self._schema.validate(document):
            return []
        namespaces: dict[str, str] = {}
        for node in document.iter():
            namespaces.update((prefix, uri) for prefix, uri in node.nsmap.items() if prefix)
        errors: list[ValidationError] = []
        for entry in list(self._schema.error_log):  # type: ignore[call-overload]  # the stubs miss __iter__
            node = _node_at(document, entry.path, namespaces)
            errors.append(ValidationError(_workday_message(entry.message, node), workday_xpath(node), entry.message))
        return errors

    # Between the variant's names and the sourced ones

    def to_canonical(self, request: etree._Element) -> etree._Element:
        """``request`` (schema-valid) in the sourced names. Raises a Validation_Fault ``SoapFault`` for a
        reference typed with an ID type the variant renamed away."""
        sourced_names = {served: sourced for sourced, served in self._element_names.items()}
        sourced_types = {served: sourced for sourced, served in self._id_types.items()}
        errors: list[ValidationError] = []
        for element in request.iter(etree.Element):
            local = etree.QName(element).localname
            if element is request:
                element.tag = self._requests.get(element.tag, element.tag)
            elif local in sourced_names:
                element.tag = wd(sourced_names[local])
            id_type = element.get(wd("type"))
            if id_type in sourced_types:
                element.set(wd("type"), sourced_types[id_type])
            elif id_type in self._id_types:
                # Inferred: as the operations word it, the service (not the schema) refuses an ID type.
                owner = element.getparent()
                name = etree.QName(owner).localname.removesuffix("_Reference") if owner is not None else local
                message = f"Invalid ID type. '{id_type}' is not a valid ID type for {name}"
                errors.append(ValidationError(message, workday_xpath(owner if owner is not None else element)))
        if errors:
            raise validation_fault(*errors)
        return request

    def to_served(self, payload: etree._Element) -> etree._Element:
        """An answer written in the sourced names, in the variant's."""
        for element in list(payload.iter(etree.Element)):
            parent = element.getparent()
            local = etree.QName(element).localname
            if parent is not None and (etree.QName(parent).localname, local) in self._removed:
                parent.remove(element)
                continue
            if local in self._element_names:
                element.tag = wd(self._element_names[local])
            id_type = element.get(wd("type"))
            if id_type in self._id_types:
                element.set(wd("type"), self._id_types[id_type])
        return payload

    # Applying a variant's changes

    def _apply(self, change: Change) -> None:
        match change:
            case RemoveElement(type_name, element):
                for declared in self._find(f"xsd:complexType[@name='{type_name}']//xsd:element[@name='{element}']"):
                    _detach(declared)
                parents = self._find(f"//xsd:element[@type='wd:{type_name}']", required=False)
                self._removed.update((str(parent.get("name")), element) for parent in parents)
            case RenameElement(element, to):
                if self._find(f"//xsd:element[@name='{to}']", required=False):
                    raise ValueError(f"{self.service}: {to} is already declared; {element} cannot take its name")
                for declared in self._find(f"xsd:complexType//xsd:element[@name='{element}']"):
                    declared.set("name", to)
                self._element_names[element] = to
            case RenameIdType(id_type, to):
                for value in self._find(f"//wd:enumeration[@value='{id_type}']"):
                    value.set("value", to)
                self._id_types[id_type] = to
            case RenameRequestElement(operation, to):
                sourced = f"{operation}_Request"
                for declared in self._find(f"xsd:element[@name='{sourced}']"):
                    declared.set("name", to)
                for part in self._find(f"/wsdl:definitions/wsdl:message/wsdl:part[@element='wd:{sourced}']"):
                    part.set("element", f"wd:{to}")
                self._request_names[to] = sourced
            case RemoveOperation(operation):
                for declared in self._find(f"/wsdl:definitions/wsdl:portType/wsdl:operation[@name='{operation}']"):
                    for message in declared.iterfind("wsdl:input", _NS) or ():
                        self._remove_message(message)
                    for message in declared.iterfind("wsdl:output", _NS) or ():
                        self._remove_message(message)
                    _detach(declared)
                for declared in self._find(f"/wsdl:definitions/wsdl:binding/wsdl:operation[@name='{operation}']"):
                    _detach(declared)
                for suffix in ("_Request", "_Response"):
                    for declared in self._find(f"xsd:element[@name='{operation}{suffix}']"):
                        _detach(declared)

    def _remove_message(self, reference: etree._Element) -> None:
        name = str(reference.get("message", "")).partition(":")[2]
        for message in self._find(f"/wsdl:definitions/wsdl:message[@name='{name}']"):
            _detach(message)

    def _find(self, xpath: str, *, required: bool = True) -> list[etree._Element]:
        """The nodes at ``xpath``, relative to ``xsd:schema`` (or absolute); ``ValueError`` when ``required``
        finds none."""
        found = self._schema_element().xpath(xpath, namespaces=_NS)
        nodes = [node for node in found if isinstance(node, etree._Element)] if isinstance(found, list) else []
        if required and not nodes:
            raise ValueError(f"the {self.service} WSDL has nothing at {xpath}")
        return nodes

    def _schema_element(self) -> etree._Element:
        schema = self._tree.find(f"{{{_WSDL}}}types/{{{_XSD}}}schema")
        if schema is None:
            raise ValueError(f"the {self.service} WSDL holds no xsd:schema")
        return schema

    def _input_elements(self) -> list[str]:
        """The local names of the request elements the service's operations take, from their input messages."""
        names: list[str] = []
        for port_operation in self._tree.iterfind("wsdl:portType/wsdl:operation", _NS):
            for given in port_operation.iterfind("wsdl:input", _NS):
                message = str(given.get("message", "")).partition(":")[2]
                for part in self._tree.iterfind(f"wsdl:message[@name='{message}']/wsdl:part", _NS):
                    names.append(str(part.get("element", "")).partition(":")[2])
        return names


def _detach(element: etree._Element) -> None:
    """Removes ``element``, and the comment just before it that gives its evidence verdict
    (``<!-- UNSOURCED (evidence 3.2): ... -->``): it would speak of a name no longer there."""
    parent = element.getparent()
    if parent is None:
        return
    previous = element.getprevious()
    if isinstance(previous, etree._Comment) and _VERDICT_COMMENT.match(str(previous.text).strip()):
        parent.remove(previous)
    parent.remove(element)


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
