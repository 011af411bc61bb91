from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest

from sandbox import SandboxConfig, SandboxServer
from sandbox.population import report_rows
from tests.unit.sandbox.conftest import isu, parse_xml

WD = "{urn:com.workday.report/LumiQ_Workers}"
XSD = "{http://www.w3.org/2001/XMLSchema}"


def _expected(server: SandboxServer) -> list[dict[str, str]]:
    """The rows as Workday writes them: empty fields omitted."""
    return [{k: v for k, v in row.items() if v} for row in report_rows(server.config)]


def test_json_has_report_entries_keyed_by_alias_with_empty_fields_omitted(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    response = client.get(sandbox.raas_url("json"), auth=isu(sandbox))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    entries = json.loads(response.content)["Report_Entry"]
    assert entries == _expected(sandbox)
    assert any("termination_date" not in entry for entry in entries)


def test_workday_xml_is_the_default_format_in_the_report_namespace(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    root = parse_xml(client.get(sandbox.raas_url(), auth=isu(sandbox)).content)
    assert root.tag == f"{WD}Report_Data"
    entries = [{field.tag.removeprefix(WD): field.text for field in entry} for entry in root]
    assert all(entry.tag == f"{WD}Report_Entry" for entry in root)
    assert entries == _expected(sandbox)


def test_workday_xml_can_render_the_wid_as_a_reference(client: httpx.Client) -> None:
    with SandboxServer(SandboxConfig(workers=5, xml_references=True)) as server:
        root = parse_xml(client.get(server.raas_url(), auth=isu(server)).content)
        row = next(report_rows(server.config))
        reference = root[0].find(f"{WD}wid")
        assert reference is not None
        assert reference.get(f"{WD}Descriptor") == f"{row['first_name']} {row['last_name']}"
        ids = {i.get(f"{WD}type"): i.text for i in reference.findall(f"{WD}ID")}
        assert ids == {"WID": row["wid"], "Employee_ID": row["employee_id"]}


def test_simple_xml_has_no_namespace_and_drops_date_offsets(sandbox: SandboxServer, client: httpx.Client) -> None:
    root = parse_xml(client.get(sandbox.raas_url("simplexml"), auth=isu(sandbox)).content)
    assert root.tag == "Report_Data"
    dates = [e.findtext("termination_date") for e in root if e.find("termination_date") is not None]
    assert dates
    assert all(d is not None and len(d) == 10 for d in dates)


def test_csv_has_a_header_of_aliases(sandbox: SandboxServer, client: httpx.Client) -> None:
    text = client.get(sandbox.raas_url("csv"), auth=isu(sandbox)).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == sandbox.config.workers
    assert list(rows[0]) == ["wid", "first_name", "last_name", "employee_id", "termination_date", "email"]


def test_xsds_describes_every_field_as_optional(sandbox: SandboxServer, client: httpx.Client) -> None:
    root = parse_xml(client.get(sandbox.raas_url("xsds"), auth=isu(sandbox)).content)
    assert root.get("targetNamespace") == "urn:com.workday.report/LumiQ_Workers"
    entry_type = next(t for t in root.iter(f"{XSD}complexType") if t.get("name") == "Report_EntryType")
    fields = {e.get("name"): e.get("minOccurs") for e in entry_type.iter(f"{XSD}element")}
    assert fields == dict.fromkeys(["wid", "first_name", "last_name", "employee_id", "termination_date", "email"], "0")


def test_column_aliases_can_be_renamed(client: httpx.Client) -> None:
    config = SandboxConfig(workers=3, column_aliases={"wid": "Worker_WID", "email": "Email_Address"})
    with SandboxServer(config) as server:
        entries = client.get(server.raas_url("json"), auth=isu(server)).json()["Report_Entry"]
        assert all("Worker_WID" in entry and "wid" not in entry for entry in entries)
        assert "Email_Address" in client.get(server.raas_url("xsds"), auth=isu(server)).text


@pytest.mark.parametrize(
    ("owner", "report", "status"), [("someone", "LumiQ_Workers", 500), ("lmsintegration", "X", 500)]
)
def test_a_wrong_report_url_is_a_processing_error(
    sandbox: SandboxServer, client: httpx.Client, owner: str, report: str, status: int
) -> None:
    url = f"{sandbox.base_url}/ccx/service/customreport2/acme/{owner}/{report}?xsds"
    assert client.get(url, auth=isu(sandbox)).status_code == status


def test_a_truncated_report_cuts_the_connection_mid_entry(sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox.faults.truncate_report_after = 10
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(sandbox.raas_url("json"), auth=isu(sandbox))


def test_a_cleanly_truncated_report_ends_without_closing_the_document(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox.faults.truncate_report_after = 10
    sandbox.faults.truncate_cleanly = True
    response = client.get(sandbox.raas_url(), auth=isu(sandbox))
    assert response.status_code == 200
    assert response.text.count("</wd:Report_Entry>") == 10
    with pytest.raises(ET.ParseError):
        parse_xml(response.content)


def test_a_shrunken_report_serves_only_its_first_rows(sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox.faults.report_rows_override = 7
    entries = client.get(sandbox.raas_url("json"), auth=isu(sandbox)).json()["Report_Entry"]
    assert entries == _expected(sandbox)[:7]


def test_a_200000_row_report_is_streamed_in_chunks(client: httpx.Client) -> None:
    end_of_entry = b"</wd:Report_Entry>"
    with SandboxServer(SandboxConfig(workers=200_000, seed_lumiq=False)) as server:
        entries = chunks = 0
        carry = b""
        with client.stream("GET", server.raas_url(), auth=isu(server)) as response:
            assert response.headers["transfer-encoding"] == "chunked"
            assert "content-length" not in response.headers
            for chunk in response.iter_raw():
                chunks += 1
                text = carry + chunk
                entries += text.count(end_of_entry)
                carry = text[-(len(end_of_entry) - 1) :]
        assert entries == 200_000
        assert chunks > 100
        assert text.endswith(b"</wd:Report_Data>")
