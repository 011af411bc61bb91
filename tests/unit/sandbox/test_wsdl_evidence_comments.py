"""The sandbox's WSDLs say which of their names no public source shows: every operation, element and ID type the
connector's declaration marks UNSOURCED (or INFERRED) carries, just before its declaration in the sandbox's WSDL,
a comment naming that verdict and the evidence file's section (``<!-- UNSOURCED (evidence 3.1): ... -->``). The
names are taken from the declaration, so the two cannot drift; and a WSDL variant still serves, parses and drops
the comment of an element it removes."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from adapters.workday.contract import CONTRACT
from adapters.workday.soap.declaration import ElementName, IdTypeName, Name, OperationName, Side, Verdict
from sandbox.workday.soap.served_wsdl import ServedWsdl, sourced_wsdl
from sandbox.workday.wsdl_variants import RemoveElement

WSDL = "http://schemas.xmlsoap.org/wsdl/"
XSD = "http://www.w3.org/2001/XMLSchema"
WD = "urn:com.workday/bsvc"
NS = {"wsdl": WSDL, "xsd": XSD, "wd": WD}
MARKED = (Verdict.UNSOURCED, Verdict.INFERRED)
COMMENT = re.compile(r"^(UNSOURCED|INFERRED|CONTRADICTED) \(evidence \d+(\.\d+)*(, \d+(\.\d+)*)*\): ")


class Schema:
    """The sourced WSDL of one service, walked as the declaration walks it: from an operation's input (or output)
    message to its element's type, then child by child."""

    def __init__(self, service: str) -> None:
        self.root = etree.fromstring(sourced_wsdl(service))

    def node(self, name: Name) -> etree._Element:
        """Where ``name`` (its first candidate the WSDL lists, for an ID type) is declared."""
        if isinstance(name, OperationName):
            return self._one(f"wsdl:portType/wsdl:operation[@name='{name.path}']")
        if isinstance(name, IdTypeName):
            return self._id_type(name)
        container = self._operation_type(name) if name.parent is None else self._type_of(self.node(name.parent))
        if name.attribute:
            return self._one(f".//xsd:attribute[@name='{name.candidates[0]}']", container)
        return self._one(f".//xsd:element[@name='{name.candidates[0]}']", container)

    def _operation_type(self, name: ElementName) -> etree._Element:
        side = "wsdl:input" if name.side is Side.REQUEST else "wsdl:output"
        message = self._one(f"wsdl:portType/wsdl:operation[@name='{name.operation.path}']/{side}").get("message", "")
        part = self._one(f"wsdl:message[@name='{message.partition(':')[2]}']/wsdl:part")
        element = self._one(f"wsdl:types/xsd:schema/xsd:element[@name='{part.get('element', '').partition(':')[2]}']")
        return self._type_of(element)

    def _id_type(self, name: IdTypeName) -> etree._Element:
        reference = self._type_of(self.node(name.reference))
        id_type = self._type_of(self._one("xsd:sequence/xsd:element[@name='ID']", reference))
        enumeration = self._one(".//xsd:attribute[@name='type']", id_type).get("type", "").partition(":")[2]
        listed = self._one(f"wsdl:types/xsd:schema/xsd:simpleType[@name='{enumeration}']")
        return next(
            self._one(f".//wd:enumeration[@value='{candidate}']", listed)
            for candidate in name.candidates
            if listed.find(f".//wd:enumeration[@value='{candidate}']", NS) is not None
        )

    def _type_of(self, element: etree._Element) -> etree._Element:
        type_name = element.get("type", "").partition(":")[2]
        return self._one(f"wsdl:types/xsd:schema/xsd:complexType[@name='{type_name}']")

    def _one(self, path: str, under: etree._Element | None = None) -> etree._Element:
        found = (under if under is not None else self.root).findall(path, NS)
        assert len(found) == 1, f"{len(found)} nodes at {path}"
        return found[0]


def evidence_comment(node: etree._Element) -> str | None:
    """The text of the comment just before ``node``, when there is one."""
    previous = node.getprevious()
    return str(previous.text).strip() if isinstance(previous, etree._Comment) else None


UNSOURCED = [name for name in CONTRACT if name.evidence.verdict in MARKED]


def test_the_declaration_has_unsourced_names_in_both_services() -> None:
    assert {name.service for name in UNSOURCED} == {"Learning", "Talent"}


@pytest.mark.parametrize("name", UNSOURCED, ids=lambda name: name.key)
def test_every_name_the_declaration_marks_unsourced_carries_its_verdict_in_the_sandboxs_wsdl(name: Name) -> None:
    node = Schema(name.service).node(name)

    comment = evidence_comment(node)

    assert comment is not None, f"{name.path}: no comment before its declaration in the sandbox's {name.service}.wsdl"
    assert COMMENT.match(comment), f"{name.path}: {comment!r} does not start with its verdict and evidence section"
    assert comment.startswith(name.evidence.verdict.value), comment
    shown = name.candidates[0] if not isinstance(name, IdTypeName) else node.get("value", "")
    assert shown in comment, f"{name.path}: the comment does not name {shown}: {comment!r}"


@pytest.mark.parametrize("service", ["Learning", "Talent"])
def test_every_verdict_comment_in_the_sandboxs_wsdl_has_the_evidence_files_form(service: str) -> None:
    comments = [str(c.text).strip() for c in etree.fromstring(sourced_wsdl(service)).iter(etree.Comment)]

    marked = [c for c in comments if c.split(" ", 1)[0] in {v.value for v in Verdict}]

    assert marked
    assert all(COMMENT.match(c) for c in marked), [c for c in marked if not COMMENT.match(c)]


def test_a_variant_that_removes_a_commented_element_removes_its_comment_and_still_validates() -> None:
    served = ServedWsdl(
        "Learning", sourced_wsdl("Learning"), (RemoveElement("Learning_Course_DataType", "Language_Reference"),)
    )

    document = etree.fromstring(served.document("https://tenant.example/Learning"))

    comments = [str(c.text) for c in document.iter(etree.Comment)]
    assert not any("Language_Reference" in c and c.strip().startswith("UNSOURCED") for c in comments)
    assert any("Requires_Enrollment" in c and c.strip().startswith("UNSOURCED") for c in comments)
    assert document.find(".//xsd:complexType[@name='Learning_Course_DataType']", NS) is not None
