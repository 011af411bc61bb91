"""check-wsdl: the project's WSDL has everything the connector uses; a WSDL trimmed of an operation, an element,
an attribute or an ID type is reported with the path of what is missing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from lxml import etree

from adapters.workday.errors import WsdlUnavailable
from adapters.workday.learning.wsdl_check import Problem, ProblemKind, check_wsdl
from tests.unit.adapters.workday.soap import LEARNING_WSDL

XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
WD = "urn:com.workday/bsvc"
NS = {"xsd": XSD, "wsdl": WSDL, "wd": WD}


def trimmed(tmp_path: Path, trim: Callable[[etree._Element], None]) -> Path:
    root = etree.parse(str(LEARNING_WSDL)).getroot()
    trim(root)
    path = tmp_path / "Learning.wsdl"
    path.write_bytes(etree.tostring(root))
    return path


def remove(root: etree._Element, xpath: str) -> None:
    found = root.xpath(xpath, namespaces=NS)
    assert isinstance(found, list)
    assert found, f"nothing at {xpath}"
    for element in found:
        assert isinstance(element, etree._Element)
        parent = element.getparent()
        assert parent is not None
        parent.remove(element)


def test_the_projects_wsdl_has_everything_the_connector_uses() -> None:
    assert check_wsdl(LEARNING_WSDL) == []


def test_a_missing_element_is_reported_with_its_parent_path(tmp_path: Path) -> None:
    wsdl = trimmed(
        tmp_path,
        lambda root: remove(
            root, "//xsd:complexType[@name='Learning_Imported_Record_DataType']//xsd:element[@name='Completion_Date']"
        ),
    )

    assert check_wsdl(wsdl) == [
        Problem(
            ProblemKind.ELEMENT, "Put_Learning_Imported_Record_Request/Learning_Imported_Record_Data/Completion_Date"
        )
    ]


def test_a_missing_id_type_is_reported_where_it_is_used(tmp_path: Path) -> None:
    wsdl = trimmed(
        tmp_path,
        lambda root: remove(
            root, "//xsd:simpleType[@name='RoleReferenceEnumeration']//wd:enumeration[@value='Employee_ID']"
        ),
    )

    problems = check_wsdl(wsdl)

    assert problems == [
        Problem(
            ProblemKind.ID_TYPE,
            "Put_Learning_Imported_Record_Request/Learning_Imported_Record_Data/Learner_Reference/ID@type",
            "Employee_ID",
        )
    ]
    assert "'Employee_ID'" in str(problems[0])


def test_id_types_listed_as_xsd_enumeration_facets_count_too(tmp_path: Path) -> None:
    def as_facets(root: etree._Element) -> None:
        restriction = root.find(".//xsd:simpleType[@name='Learning_GradeReferenceEnumeration']/xsd:restriction", NS)
        assert restriction is not None
        for child in list(restriction):
            restriction.remove(child)
        etree.SubElement(restriction, f"{{{XSD}}}enumeration", value="WID")

    problems = check_wsdl(trimmed(tmp_path, as_facets))

    assert [(p.kind, p.value) for p in problems] == [(ProblemKind.ID_TYPE, "Learning_Grade_ID")]


def test_a_missing_operation_and_a_missing_response_reference_are_reported(tmp_path: Path) -> None:
    def trim(root: etree._Element) -> None:
        remove(root, "//wsdl:binding/wsdl:operation[@name='Put_Learning_Imported_Content']")
        remove(
            root,
            "//xsd:complexType[@name='Put_Learning_Imported_Record_ResponseType']"
            "//xsd:element[@name='Learning_Imported_Record_Reference']",
        )

    assert check_wsdl(trimmed(tmp_path, trim)) == [
        Problem(ProblemKind.OPERATION, "Put_Learning_Imported_Content"),
        Problem(ProblemKind.ELEMENT, "Put_Learning_Imported_Record_Response/Learning_Imported_Record_Reference"),
    ]


def test_a_request_without_the_version_attribute_is_reported(tmp_path: Path) -> None:
    wsdl = trimmed(
        tmp_path,
        lambda root: remove(root, "//xsd:complexType[@name='Put_Learning_Imported_Content_RequestType']/xsd:attribute"),
    )

    assert check_wsdl(wsdl) == [Problem(ProblemKind.ATTRIBUTE, "Put_Learning_Imported_Content_Request@version")]


def test_a_wsdl_without_the_learning_binding_is_reported(tmp_path: Path) -> None:
    def rename(root: etree._Element) -> None:
        binding = root.find("wsdl:binding", NS)
        port = root.find("wsdl:service/wsdl:port", NS)
        assert binding is not None
        assert port is not None
        binding.set("name", "StaffingBinding")
        port.set("binding", "wd-wsdl:StaffingBinding")

    problems = check_wsdl(trimmed(tmp_path, rename))

    assert problems == [Problem(ProblemKind.BINDING, "{urn:com.workday/bsvc/Learning}LearningBinding")]


def test_a_tenants_wsdl_is_read_from_its_url() -> None:
    url = "https://wd2-impl-services1.workday.com/ccx/service/acme/Learning/v44.2?wsdl"
    seen: list[str] = []

    def tenant(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=LEARNING_WSDL.read_bytes())

    assert check_wsdl(url, http=httpx.Client(transport=httpx.MockTransport(tenant))) == []
    assert seen == [url]


def test_a_wsdl_with_a_dtd_is_refused(tmp_path: Path) -> None:
    text = LEARNING_WSDL.read_text()
    declaration, rest = text.split("\n", 1)
    path = tmp_path / "Learning.wsdl"
    path.write_text(f'{declaration}\n<!DOCTYPE wsdl:definitions [<!ENTITY boom "boom">]>\n{rest}')

    with pytest.raises(WsdlUnavailable, match="DTD"):
        check_wsdl(path)


def test_an_unreachable_wsdl_raises() -> None:
    url = "https://wd2-impl-services1.workday.com/ccx/service/acme/Learning/v44.2?wsdl"
    http = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(404)))

    with pytest.raises(WsdlUnavailable, match="404"):
        check_wsdl(url, http=http)
