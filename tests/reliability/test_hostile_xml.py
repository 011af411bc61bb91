"""Hostile XML: a SOAP reply, a RaaS report body (Workday XML and Simple XML) and a report XSD carrying an entity
expansion bomb, an external entity or a DTD are refused, without reading a file, without touching the network
and without the process's peak memory growing; the sandbox's SOAP endpoint refuses the same in requests."""

from __future__ import annotations

import resource
import socket
from collections.abc import Callable, Iterator

import httpx
import pytest

from adapters.workday.errors import RaasReportError, WorkdaySoapError
from adapters.workday.learning.imported_requests import record_request
from adapters.workday.raas.url import ReportFormat
from adapters.workday.soap.declaration import Feature
from adapters.workday.soap.resolution import RequestNames
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer
from tests.unit.adapters.workday.reports import directory, handled_by, read
from tests.unit.adapters.workday.soap import A_RECORD, SOAP_ENV, WD, client_for

MAX_PEAK_GROWTH_KB = 5 * 1024
SECRET_FILE_MARK = "root:"
"""What /etc/passwd begins with: it must appear in no result or message."""


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A loopback port nobody should connect to: an external entity pointing at it must not be fetched."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def nobody_connected(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except BlockingIOError:
        return True
    connection.close()
    return False


def bomb(root: str, inner: str) -> bytes:
    """A billion laughs: ten levels of ten references, 10**9 'lol's if expanded, with the root holding ``inner``
    where ``&lol9;`` is referenced."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)
    )
    return f'<?xml version="1.0"?><!DOCTYPE {root} [{entities}]>{inner}'.encode()


def external(root: str, inner: str, system: str) -> bytes:
    return f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY x SYSTEM "{system}">]>{inner}'.encode()


def external_dtd(root: str, inner: str, system: str) -> bytes:
    return f'<?xml version="1.0"?><!DOCTYPE {root} SYSTEM "{system}">{inner}'.encode()


def plain_dtd(root: str, inner: str) -> bytes:
    return f'<?xml version="1.0"?><!DOCTYPE {root} [<!ELEMENT {root} ANY>]>{inner}'.encode()


def hostile_bodies(root: str, inner: Callable[[str], str], port: int) -> dict[str, bytes]:
    """The attacks, each with ``inner(reference)`` as the document, the entity referenced where a value goes."""
    return {
        "billion laughs": bomb(root, inner("&lol9;")),
        "external entity (file)": external(root, inner("&x;"), "file:///etc/passwd"),
        "external entity (network)": external(root, inner("&x;"), f"http://127.0.0.1:{port}/x"),
        "external DTD (network)": external_dtd(root, inner("x"), f"http://127.0.0.1:{port}/x.dtd"),
        "a DTD": plain_dtd(root, inner("x")),
    }


def peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def report_xml(value: str) -> str:
    return (
        '<wd:Report_Data xmlns:wd="urn:com.workday.report/LumiQ_Workers"><wd:Report_Entry>'
        f"<wd:wid>0123456789abcdef0123456789abcdef</wd:wid><wd:first_name>{value}</wd:first_name>"
        "<wd:last_name>Lovelace</wd:last_name><wd:employee_id>21001</wd:employee_id>"
        "</wd:Report_Entry></wd:Report_Data>"
    )


def simple_xml(value: str) -> str:
    return (
        "<Report_Data><Report_Entry><wid>0123456789abcdef0123456789abcdef</wid>"
        f"<first_name>{value}</first_name><last_name>Lovelace</last_name><employee_id>21001</employee_id>"
        "</Report_Entry></Report_Data>"
    )


@pytest.mark.parametrize(
    ("report_format", "root", "inner"),
    [(ReportFormat.WORKDAY_XML, "wd:Report_Data", report_xml), (ReportFormat.SIMPLE_XML, "Report_Data", simple_xml)],
    ids=["workday-xml", "simple-xml"],
)
def test_a_hostile_report_body_is_refused(
    listener: socket.socket, report_format: ReportFormat, root: str, inner: Callable[[str], str]
) -> None:
    for what, body in hostile_bodies(root, inner, listener.getsockname()[1]).items():
        before = peak_kb()
        with pytest.raises(RaasReportError) as refused:
            read([body[:7], body[7:]], report_format)
        growth = peak_kb() - before
        print(f"\nRaaS {report_format.value}, {what}: refused ({refused.value}); peak RSS +{growth} KB")
        assert SECRET_FILE_MARK not in str(refused.value)
        assert growth < MAX_PEAK_GROWTH_KB, what
    assert nobody_connected(listener)


def test_a_hostile_report_schema_declares_nothing_and_fetches_nothing(listener: socket.socket) -> None:
    def xsd(value: str) -> str:
        return (
            '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"><xsd:element name="Report_Entry">'
            f'<xsd:complexType><xsd:sequence><xsd:element name="first_name"/></xsd:sequence></xsd:complexType>'
            f"<xsd:annotation><xsd:documentation>{value}</xsd:documentation></xsd:annotation>"
            "</xsd:element></xsd:schema>"
        )

    for what, body in hostile_bodies("xsd:schema", xsd, listener.getsockname()[1]).items():
        before = peak_kb()

        def answer(_request: httpx.Request, body: bytes = body) -> httpx.Response:
            return httpx.Response(200, content=body)

        reader = directory(handled_by(answer))
        try:
            declared = reader.fetch_schema()
        except RaasReportError as refused:
            outcome = f"refused ({refused})"
        else:
            outcome = f"declared {sorted(declared)}"
            assert all(SECRET_FILE_MARK not in alias and "lol" not in alias for alias in declared)
        growth = peak_kb() - before
        assert SECRET_FILE_MARK not in outcome
        print(f"\nRaaS XSD, {what}: {outcome}; peak RSS +{growth} KB")
        assert growth < MAX_PEAK_GROWTH_KB, what
    assert nobody_connected(listener)


def soap_reply(value: str) -> str:
    return (
        f'<env:Envelope xmlns:env="{SOAP_ENV}" xmlns:wd="{WD}"><env:Body>'
        '<wd:Put_Learning_Imported_Record_Response wd:version="v44.2"><wd:Learning_Imported_Record_Reference>'
        f'<wd:ID wd:type="WID">{value}</wd:ID></wd:Learning_Imported_Record_Reference>'
        "</wd:Put_Learning_Imported_Record_Response></env:Body></env:Envelope>"
    )


def soap_fault(value: str) -> str:
    return (
        f'<env:Envelope xmlns:env="{SOAP_ENV}"><env:Body><env:Fault><faultcode>env:Server</faultcode>'
        f"<faultstring>{value}</faultstring></env:Fault></env:Body></env:Envelope>"
    )


@pytest.mark.parametrize(("status", "inner"), [(200, soap_reply), (500, soap_fault)], ids=["reply", "fault"])
def test_a_hostile_soap_answer_is_refused(listener: socket.socket, status: int, inner: Callable[[str], str]) -> None:
    for what, body in hostile_bodies("env:Envelope", inner, listener.getsockname()[1]).items():

        def answer(_request: httpx.Request, body: bytes = body) -> httpx.Response:
            return httpx.Response(status, content=body, headers={"Content-Type": "text/xml; charset=utf-8"})

        client = client_for(answer)
        request = record_request(A_RECORD, client.version, RequestNames(client.names, Feature.TRANSCRIPTS))
        before = peak_kb()
        with pytest.raises(WorkdaySoapError) as refused:
            client.put_imported_record(request, A_RECORD.id)
        growth = peak_kb() - before
        print(f"\nSOAP {status}, {what}: refused ({type(refused.value).__name__}: {refused.value}); +{growth} KB")
        assert SECRET_FILE_MARK not in str(refused.value)
        assert growth < MAX_PEAK_GROWTH_KB, what
        client.close()
    assert nobody_connected(listener)


def test_the_sandbox_refuses_a_hostile_soap_request(listener: socket.socket) -> None:
    request = (
        f'<env:Envelope xmlns:env="{SOAP_ENV}" xmlns:wd="{WD}"><env:Body>'
        '<wd:Put_Learning_Imported_Content_Request wd:version="v44.2"><wd:Learning_Imported_Content_Data>'
        "<wd:ID>{}</wd:ID></wd:Learning_Imported_Content_Data></wd:Put_Learning_Imported_Content_Request>"
        "</env:Body></env:Envelope>"
    )
    with SandboxServer(SandboxConfig(workers=10, completions=0, soap_rate_limit=None)) as sandbox:
        bodies = hostile_bodies("env:Envelope", request.format, listener.getsockname()[1])
        with httpx.Client() as http:
            for what, body in bodies.items():
                before = peak_kb()
                answer = http.post(sandbox.learning_url(), content=body, headers={"Content-Type": "text/xml"})
                growth = peak_kb() - before
                print(f"\nsandbox SOAP request, {what}: HTTP {answer.status_code}; peak RSS +{growth} KB")
                assert answer.status_code == 500
                assert b"faultcode" in answer.content
                assert SECRET_FILE_MARK.encode() not in answer.content
                assert growth < MAX_PEAK_GROWTH_KB, what
        assert sandbox.workday_learning.contents() == []
    assert nobody_connected(listener)
