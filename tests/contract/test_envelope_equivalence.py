"""The imported-learning Puts, written and read without zeep (``soap.envelope``), against zeep itself: on every WSDL
variant the sandbox serves, for generated items (markup characters, any Unicode XML takes, long strings), the
envelope sent is the same canonical XML (C14N) with the same HTTP headers as zeep sends for the same request, a
reply gives the same reference, and a fault raises the same error.

Both paths go through one ``LearningClient`` over an ``httpx.MockTransport`` that serves the variant's WSDL and
records every request: ``call`` (zeep) and ``reference`` (the adapter's own envelope)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from xml.sax.saxutils import escape, quoteattr

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic import SecretStr

from adapters.workday.auth.credentials import IsuCredentials
from adapters.workday.errors import ContractMismatch, SoapAuthRejected, WorkdayFault
from adapters.workday.learning import contract
from adapters.workday.learning.client import LearningClient, build_learning_client
from adapters.workday.learning.enrollment_requests import Grades, completion_request
from adapters.workday.learning.imported_requests import content_request, record_request
from adapters.workday.learning.names import COURSE_RESPONSE_REFERENCES, PUT_ENROLLMENT, RESPONSE_REFERENCES
from adapters.workday.soap.client import reference_id
from adapters.workday.soap.declaration import Feature, OperationName
from adapters.workday.soap.names import BSVC, Request
from adapters.workday.soap.resolution import RequestNames
from adapters.workday.soap.schema_cache import SchemaCache
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.transcripts import ImportedContent, ImportedRecord
from sandbox.state import served_wsdls
from sandbox.workday.wsdl_variants import LEARNING, VARIANTS
from tests.contract.soap_wire import SOAP_ENV, Wire, described, faults, xml_text

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")  # the long strings, when one fails

ENDPOINT = "https://wd2-impl-services1.example.com/ccx/service/acme/Learning/v44.2"


contents = st.builds(ImportedContent, st.integers(0, 10**6), xml_text, xml_text, xml_text)
completion_dates = st.dates(min_value=date(1000, 1, 1))
"""zeep writes a year before 1000 with fewer than four digits (``9-01-02``), which xsd:date does not allow; the
adapter writes ``0009-01-02``. No completion is that old: the comparison starts at 1000."""
records = st.builds(
    ImportedRecord, st.integers(0, 10**6), xml_text, xml_text, xml_text, completion_dates, xml_text, st.booleans()
)


@dataclass
class Tenant:
    variant: str
    client: LearningClient
    wire: Wire

    def names(self) -> RequestNames:
        return RequestNames(self.client.names, Feature.TRANSCRIPTS)


@pytest.fixture(scope="module", params=list(VARIANTS))
def tenant(request: pytest.FixtureRequest) -> Iterator[Tenant]:
    wire = Wire(served_wsdls(VARIANTS[request.param])[LEARNING].document(ENDPOINT))
    auth = IsuCredentials("ISU_LumiQ", "acme", SecretStr("a password <&> é"))
    client = build_learning_client(ENDPOINT, auth, transport=httpx.MockTransport(wire.handle), schemas=SchemaCache())
    yield Tenant(request.param, client, wire)
    client.close()


Build = Callable[[RequestNames], Request]


def both_ways(
    tenant: Tenant, operation: OperationName, build: Build, reference: tuple[str, str] | None = None
) -> tuple[object, object]:
    """What zeep and the adapter's own envelope each make of one request and the tenant's ``reply``: the value
    (the reference, or the error raised), after checking that the two requests sent are the same. ``reference``
    (its element and ID type) is the imported-learning Put's by default."""
    reference_name, id_type = reference or RESPONSE_REFERENCES[operation.path]
    outcomes: list[object] = []
    sends: tuple[Callable[[Request], str | None], ...] = (
        lambda request: reference_id(tenant.client.call(operation, request), reference_name, id_type),
        lambda request: tenant.client.reference(operation, request, reference_name, id_type),
    )
    for send in sends:
        try:
            outcomes.append(send(build(tenant.names())))
        except (WorkdayFault, SoapAuthRejected, ContractMismatch) as error:
            outcomes.append(described(error))
    tenant.wire.assert_last_two_alike()
    return outcomes[0], outcomes[1]


def available(tenant: Tenant, operation: OperationName) -> bool:
    status = tenant.client.names.status(Feature.TRANSCRIPTS, operation)
    return not status.missing


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=contents)
def test_a_content_envelope_is_the_one_zeep_writes(tenant: Tenant, content: ImportedContent) -> None:
    tenant.wire.reply = (200, _reply(tenant, contract.PUT_CONTENT, [("WID", "w-1")]))
    zeep_made, own_made = both_ways(
        tenant, contract.PUT_CONTENT, lambda names: content_request(content, tenant.client.version, names)
    )
    assert own_made == zeep_made == "w-1"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=records)
def test_a_record_envelope_is_the_one_zeep_writes(tenant: Tenant, record: ImportedRecord) -> None:
    if not available(tenant, contract.PUT_RECORD):
        pytest.skip(f"{tenant.variant}: imported records are unavailable, so nothing is sent")
    tenant.wire.reply = (200, _reply(tenant, contract.PUT_RECORD, [("Learning_Imported_Record_ID", "r-1")]))
    zeep_made, own_made = both_ways(
        tenant, contract.PUT_RECORD, lambda names: record_request(record, tenant.client.version, names)
    )
    assert own_made == zeep_made == "r-1"


completions = st.builds(
    LearningCompletion,
    xml_text.filter(str.strip),
    st.just("ADV-SALES-001"),
    st.sampled_from(CompletionResult),
    st.datetimes(
        min_value=datetime(1000, 1, 1),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]),
    ),
    score=st.none() | st.decimals(min_value=0, max_value=100, allow_nan=False, allow_infinity=False),
)
"""Scores in any exponent (``1E+1``): zeep writes a decimal without one."""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(completion=completions, existing=st.none() | xml_text.filter(bool))
def test_an_enrollment_envelope_is_the_one_zeep_writes(
    tenant: Tenant, completion: LearningCompletion, existing: str | None
) -> None:
    try:
        tenant.client.names.require(Feature.COMPLETION_PUSH, contract.PUT_ENROLLMENT)
    except ContractMismatch:
        pytest.skip(f"{tenant.variant}: completions cannot be pushed, so nothing is sent")
    reference = COURSE_RESPONSE_REFERENCES[PUT_ENROLLMENT]
    tenant.wire.reply = (200, _reply(tenant, contract.PUT_ENROLLMENT, [("WID", "e-1")], reference_name=reference[0]))
    names = RequestNames(tenant.client.names, Feature.COMPLETION_PUSH)
    version = tenant.client.version
    zeep_made, own_made = both_ways(
        tenant,
        contract.PUT_ENROLLMENT,
        lambda _: completion_request(completion, "course-wid", existing, version, Grades(), names),
        reference,
    )
    assert own_made == zeep_made == "e-1"


def test_the_enrollment_put_is_written_without_zeep_on_the_wsdl_workday_documents() -> None:
    """Else the test above would hold zeep to itself."""
    wire = Wire(served_wsdls(VARIANTS["sourced"])[LEARNING].document(ENDPOINT))
    auth = IsuCredentials("ISU_LumiQ", "acme", SecretStr("secret"))
    client = build_learning_client(ENDPOINT, auth, transport=httpx.MockTransport(wire.handle), schemas=SchemaCache())
    try:
        assert client.names.in_declared_order(contract.PUT_ENROLLMENT)
    finally:
        client.close()


ids = st.lists(
    st.tuples(st.sampled_from(["WID", "Learning_Imported_Content_ID", "Other_ID"]), xml_text.filter(bool)),
    max_size=4,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reference=st.none() | ids, descriptor=st.none() | xml_text)
def test_a_reply_gives_the_reference_zeep_reads(
    tenant: Tenant, reference: list[tuple[str, str]] | None, descriptor: str | None
) -> None:
    tenant.wire.reply = (200, _reply(tenant, contract.PUT_CONTENT, reference, descriptor))
    content = ImportedContent(1, "c-1", "Title", "Description")
    zeep_made, own_made = both_ways(
        tenant, contract.PUT_CONTENT, lambda names: content_request(content, tenant.client.version, names)
    )
    assert own_made == zeep_made


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fault=faults)
def test_a_fault_raises_the_error_zeep_raises(tenant: Tenant, fault: bytes) -> None:
    tenant.wire.reply = (500, fault)
    content = ImportedContent(1, "c-1", "Title", "Description")
    zeep_made, own_made = both_ways(
        tenant, contract.PUT_CONTENT, lambda names: content_request(content, tenant.client.version, names)
    )
    assert own_made == zeep_made
    assert isinstance(own_made, tuple)


def test_a_reply_without_its_response_element_names_no_reference(tenant: Tenant) -> None:
    """zeep fails on an empty body (an ``IndexError`` from inside it); the adapter reads it as a reply that names
    no reference, so the item keeps its own ID."""
    tenant.wire.reply = (200, _reply(tenant, contract.PUT_CONTENT, None, response_element=False))
    request = content_request(ImportedContent(1, "c-1", "Title", ""), tenant.client.version, tenant.names())
    reference = tenant.client.reference(contract.PUT_CONTENT, request, "Learning_Imported_Content_Reference", "WID")
    assert reference is None


def test_an_operation_the_tenant_lacks_is_refused_both_ways_before_anything_is_sent(tenant: Tenant) -> None:
    if available(tenant, contract.PUT_RECORD) or tenant.client.names.found(contract.PUT_RECORD) is not None:
        pytest.skip(f"{tenant.variant} has {contract.PUT_RECORD.path}")
    sent = len(tenant.wire.sent)
    request: Request = {"version": tenant.client.version}
    with pytest.raises(ContractMismatch):
        tenant.client.call(contract.PUT_RECORD, request)
    with pytest.raises(ContractMismatch):
        tenant.client.reference(contract.PUT_RECORD, request, "Learning_Imported_Record_Reference", "WID")
    assert len(tenant.wire.sent) == sent


def _reply(
    tenant: Tenant,
    operation: OperationName,
    reference: list[tuple[str, str]] | None,
    descriptor: str | None = None,
    response_element: bool = True,
    reference_name: str | None = None,
) -> bytes:
    reference_name = reference_name or RESPONSE_REFERENCES[operation.path][0]
    response = tenant.client.names.messages(operation).response_element
    body = ""
    if response_element:
        inner = ""
        if reference is not None:
            described = f" wd:Descriptor={quoteattr(descriptor)}" if descriptor is not None else ""
            inner = (
                f"<wd:{reference_name}{described}>"
                + "".join(f'<wd:ID wd:type="{t}">{escape(v)}</wd:ID>' for t, v in reference)
                + f"</wd:{reference_name}>"
            )
        body = f'<wd:{response} wd:version="v44.2">{inner}</wd:{response}>'
    return (
        f'<env:Envelope xmlns:env="{SOAP_ENV}" xmlns:wd="{BSVC}"><env:Body>{body}</env:Body></env:Envelope>'
    ).encode()


def test_a_wsdl_ordering_the_elements_otherwise_is_written_by_zeep_in_its_order() -> None:
    """A tenant whose WSDL puts the content's Title before its ID: the envelope follows the tenant's order."""
    wsdl = etree.fromstring(served_wsdls(VARIANTS["sourced"])[LEARNING].document(ENDPOINT))
    xsd = "http://www.w3.org/2001/XMLSchema"
    (sequence,) = wsdl.iterfind(
        f".//{{{xsd}}}complexType[@name='Learning_Imported_Content_DataType']/{{{xsd}}}sequence"
    )
    title = next(e for e in sequence.iterfind(f"{{{xsd}}}element") if e.get("name") == "Title")
    sequence.insert(0, title)
    wire = Wire(etree.tostring(wsdl))
    auth = IsuCredentials("ISU_LumiQ", "acme", SecretStr("secret"))
    client = build_learning_client(ENDPOINT, auth, transport=httpx.MockTransport(wire.handle), schemas=SchemaCache())
    tenant = Tenant("reordered", client, wire)
    tenant.wire.reply = (200, _reply(tenant, contract.PUT_CONTENT, [("WID", "w-9")]))
    assert not client.names.in_declared_order(contract.PUT_CONTENT)
    assert client.names.in_declared_order(contract.PUT_RECORD)

    zeep_made, own_made = both_ways(
        tenant,
        contract.PUT_CONTENT,
        lambda names: content_request(ImportedContent(1, "c-1", "T", "D"), client.version, names),
    )

    assert own_made == zeep_made == "w-9"
    data = etree.fromstring(tenant.wire.sent[-1].content).find(f".//{{{BSVC}}}Learning_Imported_Content_Data")
    assert data is not None
    assert [etree.QName(child).localname for child in data] == ["Title", "ID", "Description"]
    client.close()
