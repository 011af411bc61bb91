from __future__ import annotations

import httpx
import pytest

from adapters.workday.errors import RaasReportError

from .reports import REPORT_URL, directory, handled_by

XSD = b"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:wd="urn:com.workday.report/Workers_for_LumiQ"
    targetNamespace="urn:com.workday.report/Workers_for_LumiQ">
  <xsd:element name="Report_Data" type="wd:Report_DataType"/>
  <xsd:complexType name="Report_DataType"><xsd:sequence>
    <xsd:element name="Report_Entry" type="wd:Report_EntryType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence></xsd:complexType>
  <xsd:complexType name="Report_EntryType"><xsd:sequence>
    <xsd:element name="wid" type="xsd:string" minOccurs="0"/>
    <xsd:element name="first_name" type="xsd:string" minOccurs="0"/>
    <xsd:element name="last_name" type="xsd:string" minOccurs="0"/>
    <xsd:element name="employee_id" type="xsd:string" minOccurs="0"/>
    <xsd:element name="Email_group" type="wd:Email_groupType" minOccurs="0" maxOccurs="unbounded"/>
  </xsd:sequence></xsd:complexType>
  <xsd:complexType name="Email_groupType"><xsd:sequence>
    <xsd:element name="Email_Address" type="xsd:string" minOccurs="0"/>
  </xsd:sequence></xsd:complexType>
</xsd:schema>"""


def serving_xsd(requests: list[httpx.Request]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, content=XSD)

    return handled_by(handler)


def test_the_schema_lists_the_report_aliases_with_group_aliases_dotted() -> None:
    requests: list[httpx.Request] = []

    aliases = directory(serving_xsd(requests), url=f"{REPORT_URL}?format=json&Start_Date=2024-01-01").fetch_schema()

    assert aliases == {"wid", "first_name", "last_name", "employee_id", "Email_group", "Email_group.Email_Address"}
    assert str(requests[0].url) == f"{REPORT_URL}?xsds"


def test_a_setup_check_names_the_aliases_the_report_lacks() -> None:
    report = directory(serving_xsd([]), columns={"email": "Email_group.Email_Address"})

    assert report.missing_columns() == ["termination_date"]


def test_a_schema_that_is_not_a_report_schema_is_refused() -> None:
    client = handled_by(lambda _: httpx.Response(200, content=b"<xsd:schema xmlns:xsd='x'/>"))

    with pytest.raises(RaasReportError, match="no Report_EntryType"):
        directory(client).fetch_schema()


def test_a_500_on_the_schema_points_at_the_report_url_and_sharing() -> None:
    client = handled_by(lambda _: httpx.Response(500, content=b"Processing error occurred"))

    with pytest.raises(RaasReportError, match="shared with the integration user"):
        directory(client).fetch_schema()
