"""Building the Learning client: endpoint and version, the WSDL from the tenant's URL or a file (hardened, bound to
the Learning binding), loaded once per host and version and shared by the tenants on it, and credentials kept out
of reprs."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from adapters.workday.auth.credentials import IsuCredentials
from adapters.workday.errors import ContractMismatch, WsdlUnavailable
from adapters.workday.learning.client import build_learning_client, learning_endpoint, learning_version
from adapters.workday.learning.contract import PUT_RECORD
from adapters.workday.soap.client import wsdl_url
from adapters.workday.soap.schema_cache import SchemaCache
from tests.unit.adapters.workday.soap import ENDPOINT, ISU, LEARNING_WSDL, PASSWORD, content_reply


def test_the_endpoint_and_its_wsdl_follow_workdays_url_pattern() -> None:
    endpoint = learning_endpoint("https://wd5-impl-services1.workday.com/", "acme_dpt1", "v44.2")

    assert endpoint == "https://wd5-impl-services1.workday.com/ccx/service/acme_dpt1/Learning/v44.2"
    assert wsdl_url(endpoint) == f"{endpoint}?wsdl"
    assert learning_version(endpoint) == "v44.2"


def test_an_endpoint_without_a_learning_version_is_refused() -> None:
    with pytest.raises(ValueError, match="Learning/v"):
        learning_version("https://wd5-impl-services1.workday.com/ccx/service/acme/Learning")


def test_the_wsdl_is_fetched_from_the_endpoint_by_default_and_requests_go_to_the_endpoint() -> None:
    seen: list[tuple[str, str]] = []

    def tenant(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, str(request.url)))
        if request.method == "GET":
            return httpx.Response(200, content=LEARNING_WSDL.read_bytes())
        return content_reply()

    client = build_learning_client(ENDPOINT, ISU, transport=httpx.MockTransport(tenant), schemas=SchemaCache())
    client.put_imported_content({"version": "v44.2", "Learning_Imported_Content_Data": {"Title": "t"}}, "c")

    assert seen == [("GET", f"{ENDPOINT}?wsdl"), ("POST", ENDPOINT)]


def test_tenants_on_one_host_and_version_share_one_wsdl_fetched_once() -> None:
    fetched: list[str] = []

    def host(request: httpx.Request) -> httpx.Response:
        fetched.append(str(request.url))
        return httpx.Response(200, content=LEARNING_WSDL.read_bytes())

    schemas = SchemaCache()
    host_url = "https://wd2-impl-services1.workday.com"
    acme, beta, later = (
        build_learning_client(
            learning_endpoint(host_url, tenant, version), ISU, transport=httpx.MockTransport(host), schemas=schemas
        )
        for tenant, version in (("acme", "v44.2"), ("beta", "v44.2"), ("acme", "v45.0"))
    )

    assert fetched == [
        f"{host_url}/ccx/service/acme/Learning/v44.2?wsdl",
        f"{host_url}/ccx/service/acme/Learning/v45.0?wsdl",
    ]
    assert acme.names is beta.names
    assert later.names is not acme.names
    assert len(schemas) == 2


def test_a_wsdl_whose_one_binding_has_another_name_is_bound_to_it(tmp_path: Path) -> None:
    wsdl = tmp_path / "Learning.wsdl"
    wsdl.write_text(LEARNING_WSDL.read_text().replace("LearningBinding", "Learning_Binding"))

    client = build_learning_client(
        ENDPOINT, ISU, wsdl=wsdl, transport=httpx.MockTransport(lambda r: content_reply()), schemas=SchemaCache()
    )

    assert client.put_imported_content({"Learning_Imported_Content_Data": {"Title": "t"}}, "c")


def test_a_wsdl_with_several_bindings_none_of_them_learnings_is_refused(tmp_path: Path) -> None:
    text = LEARNING_WSDL.read_text().replace("LearningBinding", "StaffingBinding")
    second = text[text.index("<wsdl:binding ") : text.index("</wsdl:binding>") + len("</wsdl:binding>")]
    wsdl = tmp_path / "Staffing.wsdl"
    wsdl.write_text(text.replace(second, second + second.replace("StaffingBinding", "RecruitingBinding")))

    with pytest.raises(WsdlUnavailable, match="LearningBinding"):
        build_learning_client(ENDPOINT, ISU, wsdl=wsdl, transport=httpx.MockTransport(lambda r: httpx.Response(500)))


def test_a_wsdl_that_cannot_be_fetched_is_named(tmp_path: Path) -> None:
    with pytest.raises(WsdlUnavailable, match="HTTP 503"):
        build_learning_client(
            ENDPOINT, ISU, transport=httpx.MockTransport(lambda r: httpx.Response(503)), schemas=SchemaCache()
        )
    with pytest.raises(WsdlUnavailable, match="could not be read"):
        build_learning_client(ENDPOINT, ISU, wsdl=tmp_path / "missing.wsdl")


def test_the_isu_password_is_in_no_repr() -> None:
    assert PASSWORD not in repr(ISU)
    assert ISU.username == "ISU_LumiQ@acme"


def test_a_user_name_already_ending_in_the_tenant_is_sent_as_it_is() -> None:
    assert IsuCredentials("ISU_LumiQ@acme", "acme", SecretStr("x")).username == "ISU_LumiQ@acme"


def test_a_request_the_wsdl_does_not_describe_is_a_named_contract_mismatch_and_is_not_sent() -> None:
    sent: list[httpx.Request] = []

    def tenant(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return content_reply()

    client = build_learning_client(ENDPOINT, ISU, wsdl=LEARNING_WSDL, transport=httpx.MockTransport(tenant))

    with pytest.raises(ContractMismatch, match="Put_Learning_Imported_Content does not fit the Learning WSDL") as bad:
        client.call("Put_Learning_Imported_Content", {"Learning_Imported_Content_Data": {"Titel": "t"}})
    with pytest.raises(ContractMismatch, match="Put_Learning_Imported_Instructor"):
        client.call("Put_Learning_Imported_Instructor", {})

    assert "Titel" in str(bad.value)
    assert bad.value.service == "Learning"
    assert sent == []


def test_a_declared_operation_the_wsdl_lacks_is_a_contract_mismatch_naming_it(tmp_path: Path) -> None:
    wsdl = tmp_path / "Learning.wsdl"
    wsdl.write_text(LEARNING_WSDL.read_text().replace('name="Put_Learning_Imported_Record"', 'name="Put_Other"'))
    client = build_learning_client(ENDPOINT, ISU, wsdl=wsdl, transport=httpx.MockTransport(lambda r: content_reply()))

    with pytest.raises(ContractMismatch, match="has no operation Put_Learning_Imported_Record"):
        client.call(PUT_RECORD, {})
