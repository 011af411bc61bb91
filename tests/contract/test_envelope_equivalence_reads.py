"""The reads a delivery sends over and over (the catalog's digital courses, a learner's enrollments), written and
read without zeep (``SoapClient.read``: ``soap.envelope`` and ``soap.replies``), against zeep itself: on every WSDL
variant the sandbox serves, for generated pages (paging fields or none, no items, optional fields missing, IDs of
any type, values in every form their XSD type allows), the request sent is the same canonical XML with the same
HTTP headers as zeep's, the reply reads as the same dicts as zeep's for every element the connector declares, the
same domain values (``CatalogCourse``, ``Enrollment``) and the same page count, and a fault raises the same error.

Replies are written as the tenant's Workday would write them: in its WSDL's order, under its names, without the
elements its WSDL lacks; each also carries elements the connector does not declare (zeep reads them, the adapter
skips them)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic import SecretStr

from adapters.retries import RetryPolicy
from adapters.workday.auth.credentials import IsuCredentials
from adapters.workday.errors import ContractMismatch, SoapAuthRejected, WorkdayFault
from adapters.workday.learning import contract
from adapters.workday.learning.client import LearningClient, build_learning_client
from adapters.workday.learning.course_replies import catalog_course
from adapters.workday.learning.enrollment_requests import Grades, by_wid_request, criteria_request, enrollment
from adapters.workday.learning.names import DIGITAL_COURSE, LEARNING_ENROLLMENT
from adapters.workday.soap.declaration import ElementName, Feature, OperationName
from adapters.workday.soap.names import (
    AS_OF_ENTRY_DATETIME,
    BSVC,
    COUNT,
    PAGE,
    REQUEST_REFERENCES,
    RESPONSE_FILTER,
    RESPONSE_GROUP,
    VERSION_ATTRIBUTE,
    WID,
    Request,
    reference,
)
from adapters.workday.soap.paging import all_items, page_items, total_pages
from adapters.workday.soap.replies import readable
from adapters.workday.soap.resolution import ReplyField, RequestNames
from adapters.workday.soap.schema_cache import SchemaCache
from sandbox.state import served_wsdls
from sandbox.workday.wsdl_variants import LEARNING, VARIANTS
from tests.contract.soap_wire import SOAP_ENV, Wire, canonical, described, faults, xml_text

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

ENDPOINT = "https://wd2-impl-services1.example.com/ccx/service/acme/Learning/v44.2"
XSD = "http://www.w3.org/2001/XMLSchema"
AS_OF = datetime(2026, 11, 23, 9, 30, 15, 250000, tzinfo=UTC)


@dataclass
class Tenant:
    variant: str
    client: LearningClient
    wire: Wire

    def found(self, name: ElementName) -> str | None:
        return self.client.names.found(name)


def tenant_on(wsdl: bytes, variant: str) -> Tenant:
    wire = Wire(wsdl)
    auth = IsuCredentials("ISU_LumiQ", "acme", SecretStr("a password <&> é"))
    client = build_learning_client(ENDPOINT, auth, transport=httpx.MockTransport(wire.handle), schemas=SchemaCache())
    return Tenant(variant, client, wire)


@pytest.fixture(scope="module", params=list(VARIANTS))
def tenant(request: pytest.FixtureRequest) -> Iterator[Tenant]:
    made = tenant_on(served_wsdls(VARIANTS[request.param])[LEARNING].document(ENDPOINT), request.param)
    yield made
    made.client.close()


# Generated replies: each value as text in a form its XSD type allows (and a few zeep reads as None or False).

booleans = st.sampled_from(["false", "true", "0", "1", " true ", "\n1\n", "TRUE", "yes", ""])
datetimes = st.one_of(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)).flatmap(
        lambda moment: st.sampled_from(
            [
                moment.isoformat(),
                moment.replace(microsecond=0).isoformat() + "Z",
                moment.isoformat() + "+05:30",
                moment.replace(microsecond=0).isoformat() + "-08:00",
                f" {moment.isoformat()}Z ",
                moment.date().isoformat(),
            ]
        )
    ),
    st.sampled_from(["", "not a time", "2026-13-01T00:00:00Z"]),
)
decimals = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(lambda d: f"{d:f}"),
    st.sampled_from(["85", " 85.50 ", "0", "-0.0", "1E+1", ""]),
)
id_types = st.sampled_from([WID, "Employee_ID", "Learning_Course_ID", "Learning_Grade_ID", "Learning_Grade", "Other"])
every_id_type = [
    (WID, "w-1"),
    ("Employee_ID", "100001"),
    ("Learning_Course_ID", "ADV-SALES-001"),
    ("Learning_Grade_ID", "PASS"),
    ("Learning_Grade", "FAIL"),
]
references = st.tuples(
    st.permutations(every_id_type)
    | st.permutations(every_id_type).flatmap(lambda ids: st.integers(2, len(ids)).map(lambda n: ids[:n]))
    | st.lists(st.tuples(id_types, st.none() | xml_text), max_size=3),
    st.none() | xml_text,
)
"""A reference's IDs (type, text; no text: an empty ``ID``), any or those the readers look for, and its
``Descriptor``."""
pages = st.fixed_dictionaries(
    {},
    optional={
        "Total_Results": st.integers(0, 5000).map(str),
        "Total_Pages": st.one_of(st.integers(0, 6).map(str), st.just(" 3 ")),
        "Page_Results": st.integers(0, 999).map(str),
        "Page": st.integers(1, 6).map(str),
    },
)
"""``Response_Results``: every field optional."""


@dataclass(frozen=True)
class Node:
    """An element to write: its local name (None: the tenant's WSDL lacks it, so it is not written), its text or
    its children, and its ``wd:`` attributes."""

    name: str | None
    text: str | None = None
    children: tuple[Node, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()

    def xml(self) -> str:
        if self.name is None:
            return ""
        attributes = "".join(f" wd:{key}={quoteattr(value)}" for key, value in self.attributes)
        inner = escape(self.text) if self.text is not None else "".join(child.xml() for child in self.children)
        return f"<wd:{self.name}{attributes}>{inner}</wd:{self.name}>"


def reference_node(name: str | None, made: tuple[Sequence[tuple[str, str | None]], str | None]) -> Node:
    ids, descriptor = made
    children = tuple(Node("ID", text, attributes=(("type", id_type),)) for id_type, text in ids)
    return Node(name, children=children, attributes=(("Descriptor", descriptor),) if descriptor is not None else ())


def optional(strategy: st.SearchStrategy[Node]) -> st.SearchStrategy[Node | None]:
    """Present three times in four."""
    return st.one_of(strategy, strategy, strategy, st.none())


def enrollment_node(tenant: Tenant) -> st.SearchStrategy[Node]:
    """A ``Learning_Enrollment`` in the tenant's names, its data's fields in the WSDL's order, each optional."""

    def field(name: ElementName | str, values: st.SearchStrategy[str]) -> st.SearchStrategy[Node | None]:
        local = name if isinstance(name, str) else tenant.found(name)
        return optional(values.map(lambda text: Node(local, text)))

    def ref(name: ElementName, *, required: bool = False) -> st.SearchStrategy[Node | None]:
        made = references.map(lambda made: reference_node(tenant.found(name), made))
        return made if required else optional(made)

    data = st.tuples(
        field("ID", xml_text),
        ref(contract.READ_ENROLLMENT_CONTENT, required=True),  # 1..1: zeep refuses a reply without it
        ref(contract.READ_ENROLLMENT_LEARNER, required=True),
        field("Registered_Date", st.dates().map(lambda d: d.isoformat())),
        field(contract.READ_ENROLLMENT_COMPLETION_DATE, datetimes),
        field(contract.READ_ENROLLMENT_SCORE, decimals),
        ref(contract.READ_ENROLLMENT_GRADE),
        field(contract.READ_ENROLLMENT_RESCINDED, booleans),
        field(contract.READ_CREATED_ON_LAUNCH, booleans),
    ).map(lambda fields: Node(tenant.found(contract.ENROLLMENT_ITEM_DATA), children=_present(fields)))
    return st.tuples(ref(contract.ENROLLMENT_ITEM_REFERENCE), optional(data)).map(
        lambda parts: Node(tenant.found(contract.ENROLLMENT_ITEM), children=_present(parts))
    )


def course_node(tenant: Tenant) -> st.SearchStrategy[Node]:
    """A ``Learning_Digital_Course`` in the tenant's names, with fields the connector does not declare."""
    data = st.tuples(
        optional(xml_text.map(lambda text: Node(tenant.found(contract.CATALOG_COURSE_ID), text))),
        optional(booleans.map(lambda text: Node(tenant.found(contract.CATALOG_COURSE_INACTIVE), text))),
        xml_text.map(lambda text: Node(tenant.found(contract.CATALOG_COURSE_TITLE), text)),
        xml_text.map(lambda text: Node("Description", text)),
        st.lists(references.map(lambda made: reference_node("Topic_Reference", made)), min_size=1, max_size=2),
        optional(decimals.map(lambda text: Node("Total_Course_Duration", text))),
    ).map(
        lambda fields: Node(
            tenant.found(contract.CATALOG_COURSE_DATA), children=_present((*fields[:4], *fields[4], fields[5]))
        )
    )
    course_reference = references.map(
        lambda made: reference_node(tenant.found(contract.CATALOG_COURSE_REFERENCE), made)
    )
    return st.tuples(optional(course_reference), optional(data)).map(
        lambda parts: Node(tenant.found(contract.CATALOG_COURSE), children=_present(parts))
    )


def page_reply(tenant: Tenant, operation: OperationName, items: st.SearchStrategy[Node]) -> st.SearchStrategy[bytes]:
    """One page of ``operation``'s reply: the filter echoed, then results and data, each optional."""
    order = ("Total_Results", "Total_Pages", "Page_Results", "Page")  # the WSDL's [GO31, HR26]
    results = pages.map(
        lambda fields: Node("Response_Results", children=tuple(Node(k, fields[k]) for k in order if k in fields))
    )
    data = st.lists(items, max_size=3).map(lambda found: Node("Response_Data", children=tuple(found)))
    response = tenant.client.names.messages(operation).response_element

    def envelope(parts: tuple[Node | None, Node | None]) -> bytes:
        echoed = Node(RESPONSE_FILTER, children=(Node(PAGE, "1"), Node(COUNT, "999")))
        body = Node(response, children=_present((echoed, *parts)), attributes=(("version", "v44.2"),))
        return (
            f'<env:Envelope xmlns:env="{SOAP_ENV}" xmlns:wd="{BSVC}"><env:Body>{body.xml()}</env:Body></env:Envelope>'
        ).encode()

    return st.tuples(optional(results), optional(data)).map(envelope)


def _present(nodes: tuple[Node | None, ...]) -> tuple[Node, ...]:
    return tuple(node for node in nodes if node is not None and node.name is not None)


# Both ways: zeep (``call``) and the adapter's own (``read``).


def both_ways(tenant: Tenant, operation: OperationName, request: Request) -> tuple[object, object]:
    """What zeep and the adapter each make of one request and the tenant's reply (the reply's dict, or the error
    raised), after checking that the two requests sent are the same."""
    outcomes: list[object] = []
    for send in (tenant.client.call, tenant.client.read):
        try:
            outcomes.append(send(operation, request))
        except (WorkdayFault, SoapAuthRejected, ContractMismatch) as error:
            outcomes.append(described(error))
    tenant.wire.assert_last_two_alike()
    return outcomes[0], outcomes[1]


def declared(value: object, fields: tuple[ReplyField, ...]) -> dict[str, Any]:
    """zeep's dict of a reply, or the adapter's, cut to the declared ``fields``: an element absent (None) or a
    repeated one absent ([]) is left out, as the adapter leaves it out."""
    found: dict[str, Any] = {}
    source = value if isinstance(value, dict) else {}
    for field in fields:
        read = source.get(field.name)
        if field.repeats:
            read = [_declared_value(entry, field) for entry in read or []]
        elif read is not None:
            read = _declared_value(read, field)
        if read is not None and read != []:
            found[field.name] = read
    return found


def _declared_value(value: object, field: ReplyField) -> object:
    if field.children:
        return declared(value, field.children)
    if isinstance(value, dict):  # a reference
        return {key: item for key, item in value.items() if item is not None}
    return value


def read_request(tenant: Tenant, operation: OperationName, request: Request) -> Request:
    """A page's request as ``all_items`` sends it."""
    response_filter = {AS_OF_ENTRY_DATETIME: AS_OF, PAGE: 2, COUNT: 999}
    group = {k: v for k, v in request.items() if k == RESPONSE_GROUP}
    rest = {k: v for k, v in request.items() if k != RESPONSE_GROUP}
    return {**rest, RESPONSE_FILTER: response_filter, **group}


def enrollments_request(tenant: Tenant, by_wid: bool) -> Request:
    version = tenant.client.version
    if by_wid:
        return read_request(tenant, contract.GET_ENROLLMENTS, by_wid_request("e-1 <&>", version))
    names = RequestNames(tenant.client.names, Feature.COMPLETION_PUSH)
    return read_request(tenant, contract.GET_ENROLLMENTS, criteria_request("100001", "course-wid", version, names))


def catalog_request(tenant: Tenant, by_wid: bool) -> Request:
    request: Request = {VERSION_ATTRIBUTE: tenant.client.version}
    if by_wid:
        request[REQUEST_REFERENCES] = {"Learning_Digital_Course_Reference": [reference(WID, "c-1")]}
    request[RESPONSE_GROUP] = {"Exclude_Course_Image_Data": True}
    return read_request(tenant, contract.GET_DIGITAL_COURSES, request)


def can_read_enrollments(tenant: Tenant) -> bool:
    return not tenant.client.names.status(Feature.COMPLETION_DELETE, contract.GET_ENROLLMENTS).missing


@st.composite
def enrollment_pages(draw: st.DrawFn, tenant: Tenant) -> bytes:
    return draw(page_reply(tenant, contract.GET_ENROLLMENTS, enrollment_node(tenant)))


@st.composite
def catalog_pages(draw: st.DrawFn, tenant: Tenant) -> bytes:
    return draw(page_reply(tenant, contract.GET_DIGITAL_COURSES, course_node(tenant)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), by_wid=st.booleans())
def test_an_enrollments_page_reads_as_zeep_reads_it(tenant: Tenant, data: st.DataObject, by_wid: bool) -> None:
    if not can_read_enrollments(tenant):
        pytest.skip(f"{tenant.variant}: enrollments cannot be read, so nothing is sent")
    tenant.wire.reply = (200, data.draw(enrollment_pages(tenant)))
    request = enrollments_request(tenant, by_wid)
    zeep_made, own_made = both_ways(tenant, contract.GET_ENROLLMENTS, request)
    assert isinstance(zeep_made, dict)
    assert isinstance(own_made, dict)
    fields = tenant.client.names.reply(contract.GET_ENROLLMENTS)
    assert declared(own_made, fields) == declared(zeep_made, fields)
    grade_id_types = tenant.client.names.id_types(contract.ENROLLMENT_GRADE_ID_TYPE)
    for learner in (None, "100001"):

        def enrollments(reply: dict[str, Any], learner: str | None = learner) -> list[object]:
            items = page_items(reply, LEARNING_ENROLLMENT)
            found = (enrollment(item, Grades(), learner, grade_id_types) for item in items)
            return [e for e in found if e is not None]

        assert enrollments(own_made) == enrollments(zeep_made)
        event(f"enrollments read for learner {learner}: {min(len(enrollments(own_made)), 2)}")
    assert total_pages(own_made) == total_pages(zeep_made)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), by_wid=st.booleans())
def test_a_catalog_page_reads_as_zeep_reads_it(tenant: Tenant, data: st.DataObject, by_wid: bool) -> None:
    tenant.wire.reply = (200, data.draw(catalog_pages(tenant)))
    zeep_made, own_made = both_ways(tenant, contract.GET_DIGITAL_COURSES, catalog_request(tenant, by_wid))
    assert isinstance(zeep_made, dict)
    assert isinstance(own_made, dict)
    fields = tenant.client.names.reply(contract.GET_DIGITAL_COURSES)
    assert declared(own_made, fields) == declared(zeep_made, fields)

    def courses(reply: dict[str, Any]) -> list[object]:
        found = (catalog_course(item) for item in page_items(reply, DIGITAL_COURSE))
        return [course for course in found if course is not None]

    assert courses(own_made) == courses(zeep_made)
    event(f"courses read: {min(len(courses(own_made)), 2)}")
    assert total_pages(own_made) == total_pages(zeep_made)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fault=faults, operation=st.sampled_from([contract.GET_ENROLLMENTS, contract.GET_DIGITAL_COURSES]))
def test_a_fault_to_a_read_raises_the_error_zeep_raises(tenant: Tenant, fault: bytes, operation: OperationName) -> None:
    if operation is contract.GET_ENROLLMENTS and not can_read_enrollments(tenant):
        pytest.skip(f"{tenant.variant}: enrollments cannot be read, so nothing is sent")
    tenant.wire.reply = (500, fault)
    request = (enrollments_request if operation is contract.GET_ENROLLMENTS else catalog_request)(tenant, True)
    zeep_made, own_made = both_ways(tenant, operation, request)
    assert own_made == zeep_made
    assert isinstance(own_made, tuple)


def test_the_reads_are_written_and_read_without_zeep_on_every_variant(tenant: Tenant) -> None:
    """Else the tests above would hold zeep to itself."""
    for operation in (contract.GET_ENROLLMENTS, contract.GET_DIGITAL_COURSES):
        assert tenant.client.names.in_declared_order(operation)
        assert readable(tenant.client.names.reply(operation))


def test_a_page_without_items_or_paging_reads_as_no_items_and_one_page(tenant: Tenant) -> None:
    response = tenant.client.names.messages(contract.GET_DIGITAL_COURSES).response_element
    tenant.wire.reply = (
        200,
        f'<env:Envelope xmlns:env="{SOAP_ENV}" xmlns:wd="{BSVC}"><env:Body><wd:{response}/></env:Body>'
        "</env:Envelope>".encode(),
    )
    zeep_made, own_made = both_ways(tenant, contract.GET_DIGITAL_COURSES, catalog_request(tenant, False))
    for made in (zeep_made, own_made):
        assert isinstance(made, dict)
        assert list(page_items(made, DIGITAL_COURSE)) == []
        assert total_pages(made) == 1


def test_a_reply_without_its_response_element_reads_as_no_items(tenant: Tenant) -> None:
    """zeep fails on an empty body (an ``IndexError`` from inside it); the adapter reads a page with nothing on it."""
    tenant.wire.reply = (200, f'<env:Envelope xmlns:env="{SOAP_ENV}"><env:Body/></env:Envelope>'.encode())
    assert tenant.client.read(contract.GET_DIGITAL_COURSES, catalog_request(tenant, False)) == {}


# Where the tenant's WSDL differs from the declaration: zeep, or zeep's reading of the tenant's types.


def changed_wsdl(change: Callable[[etree._Element], None]) -> bytes:
    wsdl = etree.fromstring(served_wsdls(VARIANTS["sourced"])[LEARNING].document(ENDPOINT))
    change(wsdl)
    return etree.tostring(wsdl)


def _element(wsdl: etree._Element, type_name: str, name: str) -> etree._Element:
    (sequence,) = wsdl.iterfind(f".//{{{XSD}}}complexType[@name='{type_name}']/{{{XSD}}}sequence")
    return next(e for e in sequence.iterfind(f"{{{XSD}}}element") if e.get("name") == name)


def _enrollment_reply(tenant: Tenant, data: str) -> bytes:
    response = tenant.client.names.messages(contract.GET_ENROLLMENTS).response_element
    item = (
        '<wd:Learning_Enrollment><wd:Learning_Enrollment_Reference><wd:ID wd:type="WID">e-1</wd:ID>'
        "</wd:Learning_Enrollment_Reference><wd:Learning_Enrollment_Data>"
        '<wd:Learning_Content_Reference><wd:ID wd:type="WID">c-1</wd:ID></wd:Learning_Content_Reference>'
        '<wd:Learner_Reference><wd:ID wd:type="Employee_ID">100001</wd:ID></wd:Learner_Reference>'
        f"{data}</wd:Learning_Enrollment_Data></wd:Learning_Enrollment>"
    )
    return (
        f'<env:Envelope xmlns:env="{SOAP_ENV}" xmlns:wd="{BSVC}"><env:Body><wd:{response}>'
        f"<wd:Response_Results><wd:Total_Pages>1</wd:Total_Pages></wd:Response_Results>"
        f"<wd:Response_Data>{item}</wd:Response_Data></wd:{response}></env:Body></env:Envelope>"
    ).encode()


def test_a_tenant_typing_a_read_field_otherwise_is_read_as_zeep_reads_that_type() -> None:
    """A completion date typed ``xsd:date``: zeep reads a date, so does the adapter (and the enrollment has no
    completion time either way)."""

    def as_date(wsdl: etree._Element) -> None:
        _element(wsdl, "Learning_Enrollment_DataType", "Learning_Enrollment_Completion_Date").set("type", "xsd:date")

    tenant = tenant_on(changed_wsdl(as_date), "completion as a date")
    tenant.wire.reply = (
        200,
        _enrollment_reply(
            tenant, "<wd:Learning_Enrollment_Completion_Date>2026-11-02</wd:Learning_Enrollment_Completion_Date>"
        ),
    )
    try:
        zeep_made, own_made = both_ways(tenant, contract.GET_ENROLLMENTS, enrollments_request(tenant, False))
        fields = tenant.client.names.reply(contract.GET_ENROLLMENTS)
        assert declared(own_made, fields) == declared(zeep_made, fields)
        (item,) = page_items(own_made if isinstance(own_made, dict) else {}, LEARNING_ENROLLMENT)
        assert enrollment(item, Grades()) is not None
        assert item["Learning_Enrollment_Data"]["Learning_Enrollment_Completion_Date"] == datetime(2026, 11, 2).date()
    finally:
        tenant.client.close()


def test_a_tenant_typing_a_read_field_in_a_way_the_adapter_does_not_read_is_read_by_zeep() -> None:
    def as_duration(wsdl: etree._Element) -> None:
        _element(wsdl, "Learning_Enrollment_DataType", "Created_On_Launch").set("type", "xsd:duration")

    tenant = tenant_on(changed_wsdl(as_duration), "launch as a duration")
    tenant.wire.reply = (200, _enrollment_reply(tenant, "<wd:Created_On_Launch>P1D</wd:Created_On_Launch>"))
    try:
        assert not readable(tenant.client.names.reply(contract.GET_ENROLLMENTS))
        read = tenant.client.read(contract.GET_ENROLLMENTS, enrollments_request(tenant, False))
        assert read == tenant.client.call(contract.GET_ENROLLMENTS, enrollments_request(tenant, False))
        assert "Registered_Date" in read["Response_Data"]["Learning_Enrollment"][0]["Learning_Enrollment_Data"]
    finally:
        tenant.client.close()


def test_a_tenant_ordering_a_get_request_otherwise_is_read_by_zeep() -> None:
    """``Response_Filter`` before ``Request_Criteria``: zeep writes the request in the tenant's order, and reads."""

    def filter_first(wsdl: etree._Element) -> None:
        response_filter = _element(wsdl, "Get_Learning_Enrollments_RequestType", RESPONSE_FILTER)
        parent = response_filter.getparent()
        assert parent is not None
        parent.insert(0, response_filter)

    tenant = tenant_on(changed_wsdl(filter_first), "filter first")
    tenant.wire.reply = (200, _enrollment_reply(tenant, ""))
    try:
        assert not tenant.client.names.in_declared_order(contract.GET_ENROLLMENTS)
        read = tenant.client.read(contract.GET_ENROLLMENTS, enrollments_request(tenant, False))
        assert "Registered_Date" in read["Response_Data"]["Learning_Enrollment"][0]["Learning_Enrollment_Data"]
        sent = etree.fromstring(tenant.wire.sent[-1].content).find(f".//{{{BSVC}}}Get_Learning_Enrollments_Request")
        assert sent is not None
        assert [etree.QName(child).localname for child in sent] == [RESPONSE_FILTER, "Request_Criteria"]
    finally:
        tenant.client.close()


@dataclass
class PagedWire(Wire):
    """Answers each page asked for (the request's ``Response_Filter/Page``) with its own reply."""

    pages: tuple[bytes, ...] = ()

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            asked = etree.fromstring(request.content).find(f".//{{{BSVC}}}{RESPONSE_FILTER}/{{{BSVC}}}{PAGE}")
            self.reply = (200, self.pages[int(asked.text or "1") - 1] if asked is not None else b"")
        return super().handle(request)


def test_every_page_of_a_listing_is_asked_for_and_read_as_zeep_reads_it() -> None:
    wire = PagedWire(served_wsdls(VARIANTS["sourced"])[LEARNING].document(ENDPOINT))
    auth = IsuCredentials("ISU_LumiQ", "acme", SecretStr("secret"))
    client = build_learning_client(ENDPOINT, auth, transport=httpx.MockTransport(wire.handle), schemas=SchemaCache())
    tenant = Tenant("paged", client, wire)

    def page(number: int) -> bytes:
        learner = f'<wd:ID wd:type="Employee_ID">10000{number}</wd:ID>'
        reply = _enrollment_reply(tenant, "").replace(b"<wd:Total_Pages>1<", b"<wd:Total_Pages>3<")
        return reply.replace(b'<wd:ID wd:type="Employee_ID">100001</wd:ID>', learner.encode()).replace(
            b">e-1<", f">e-{number}<".encode()
        )

    wire.pages = (page(1), page(2), page(3))
    request = criteria_request(None, "c-1", client.version, RequestNames(client.names, Feature.COMPLETION_PUSH))
    read = []
    try:
        for declared_only in (False, True):
            items = all_items(
                client,
                contract.GET_ENROLLMENTS,
                request,
                LEARNING_ENROLLMENT,
                retry=RetryPolicy(),
                now=lambda: AS_OF,
                declared_only=declared_only,
            )
            read.append([enrollment(item, Grades()) for item in items])
    finally:
        client.close()
    assert read[1] == read[0]
    assert [(e.workday_id, e.learner_id) for e in read[1] if e is not None] == [
        ("e-1", "100001"),
        ("e-2", "100002"),
        ("e-3", "100003"),
    ]
    zeep_sent, own_sent = wire.sent[:3], wire.sent[3:]
    assert [canonical(r.content) for r in own_sent] == [canonical(r.content) for r in zeep_sent]
