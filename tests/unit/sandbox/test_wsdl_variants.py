"""The sandbox's WSDL variants: each changes what is served at ``?wsdl`` and what the service takes, once, at
start; a request in the sourced names is refused where the variant differs, one in the variant's names is done,
and answers come back in the variant's names."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from lxml import etree

from sandbox import SandboxConfig, SandboxServer
from sandbox.population import worker_at
from sandbox.workday.soap.served_wsdl import ServedWsdl, sourced_wsdl
from sandbox.workday.wsdl_variants import VARIANTS, RemoveElement, RenameElement, RenameIdType, variant_named
from tests.unit.sandbox.learning_requests import NS, isu_envelope, put_content, put_record

POPULATION = SandboxConfig(workers=20, completions=0, soap_rate_limit=None)


def serving(variant: str) -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(workers=20, completions=0, soap_rate_limit=None, wsdl_variant=variant)) as server:
        yield server


@pytest.fixture
def plural() -> Iterator[SandboxServer]:
    yield from serving("plural-request-elements")


@pytest.fixture
def other_id_types() -> Iterator[SandboxServer]:
    yield from serving("other-id-types")


@pytest.fixture
def required_missing() -> Iterator[SandboxServer]:
    yield from serving("required-names-missing")


def post(server: SandboxServer, body: str) -> tuple[int, etree._Element]:
    response = httpx.post(server.learning_url(), content=isu_envelope(server, body), timeout=10)
    return response.status_code, etree.fromstring(response.content)


def messages(answer: etree._Element) -> list[str]:
    return [str(m.text) for m in answer.iterfind(".//wd:Validation_Error/wd:Message", NS)]


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_variant_serves_a_wsdl_that_differs_from_the_sourced_one_but_the_sourced_one_itself(name: str) -> None:
    served = ServedWsdl("Learning", sourced_wsdl("Learning"), variant_named(name).of("Learning"))
    sourced = ServedWsdl("Learning", sourced_wsdl("Learning"))

    differs = served.document("http://x") != sourced.document("http://x")

    assert differs == bool(variant_named(name).of("Learning"))


def test_an_unknown_variant_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match="no-optional-course-elements"):
        SandboxConfig(wsdl_variant="nonsense")


def test_a_change_that_finds_nothing_to_change_is_refused() -> None:
    with pytest.raises(ValueError, match="nothing at"):
        ServedWsdl("Learning", sourced_wsdl("Learning"), (RemoveElement("Learning_Course_DataType", "Nonexistent"),))
    with pytest.raises(ValueError, match="already declared"):
        ServedWsdl("Learning", sourced_wsdl("Learning"), (RenameElement("Requires_Enrollment", "Description"),))


def test_a_plural_request_element_is_the_operation_and_the_sourced_one_is_none(plural: SandboxServer) -> None:
    sourced_status, sourced = post(plural, put_content("c-1"))
    plural_body = put_content("c-2").replace(
        "Put_Learning_Imported_Content_Request", "Put_Learning_Imported_Contents_Request"
    )
    status, answer = post(plural, plural_body)

    assert sourced_status == 500
    assert "not an operation" in messages(sourced)[0]
    assert status == 200
    assert answer.find(".//wd:Put_Learning_Imported_Content_Response", NS) is not None
    assert [c.id for c in plural.workday_learning.contents()] == ["c-2"]


def test_a_renamed_id_type_is_taken_and_answered_and_the_sourced_one_refused(other_id_types: SandboxServer) -> None:
    learner = worker_at(other_id_types.config, 0).employee_id
    assert post(other_id_types, put_content("c-1"))[0] == 200
    renamed = (
        put_record("r-1", learner, "c-1")
        .replace('type="Learning_Imported_Content_ID"', 'type="Learning_Imported_Content"')
        .replace('type="Learning_Grade_ID"', 'type="Learning_Grade"')
    )

    refused_status, refused = post(other_id_types, put_record("r-2", learner, "c-1"))
    status, _ = post(other_id_types, renamed)
    got = httpx.post(
        other_id_types.learning_url(),
        content=isu_envelope(other_id_types, '<bsvc:Get_Learning_Imported_Records_Request bsvc:version="v44.2"/>'),
        timeout=10,
    )

    assert refused_status == 500
    assert "'Learning_Imported_Content_ID' is not a valid ID type" in messages(refused)[0]
    assert status == 200
    types = etree.fromstring(got.content).xpath(
        "//wd:Learning_Imported_Content_Reference/wd:ID/@wd:type", namespaces=NS
    )
    assert isinstance(types, list)
    assert set(map(str, types)) == {"WID", "Learning_Imported_Content"}


def test_a_removed_operation_is_no_operation_and_absent_from_the_wsdl(required_missing: SandboxServer) -> None:
    learner = worker_at(required_missing.config, 0).employee_id
    wsdl = httpx.get(f"{required_missing.learning_url()}?wsdl", timeout=10).text

    status, answer = post(required_missing, put_record("r-1", learner, "c-1"))

    assert 'operation name="Put_Learning_Imported_Record"' not in wsdl
    assert 'operation name="Put_Learning_Imported_Content"' in wsdl
    assert status == 500
    assert "not an operation" in messages(answer)[0]


def test_a_renamed_id_type_change_renames_it_in_every_enumeration() -> None:
    served = ServedWsdl("Learning", sourced_wsdl("Learning"), (RenameIdType("Learning_Course_ID", "Learning_Course"),))

    document = served.document("http://x").decode()

    assert 'value="Learning_Course_ID"' not in document
    assert document.count('value="Learning_Course"') == 2
