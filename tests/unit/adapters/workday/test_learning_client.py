"""Building the Learning client: endpoint and version, the WSDL from the tenant's URL or a file (hardened, with the
Learning binding required), and credentials kept out of reprs."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from adapters.workday.auth.credentials import IsuCredentials
from adapters.workday.errors import WsdlUnavailable
from adapters.workday.learning.client import build_learning_client, learning_endpoint, learning_version
from adapters.workday.soap.client import wsdl_url
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

    client = build_learning_client(ENDPOINT, ISU, transport=httpx.MockTransport(tenant))
    client.put_imported_content({"version": "v44.2", "Learning_Imported_Content_Data": {"Title": "t"}}, "c")

    assert seen == [("GET", f"{ENDPOINT}?wsdl"), ("POST", ENDPOINT)]


def test_a_wsdl_without_the_learning_binding_is_refused(tmp_path: Path) -> None:
    wsdl = tmp_path / "Staffing.wsdl"
    wsdl.write_text(LEARNING_WSDL.read_text().replace("LearningBinding", "StaffingBinding"))

    with pytest.raises(WsdlUnavailable, match="LearningBinding"):
        build_learning_client(ENDPOINT, ISU, wsdl=wsdl, transport=httpx.MockTransport(lambda r: httpx.Response(500)))


def test_a_wsdl_that_cannot_be_fetched_is_named(tmp_path: Path) -> None:
    with pytest.raises(WsdlUnavailable, match="HTTP 503"):
        build_learning_client(ENDPOINT, ISU, transport=httpx.MockTransport(lambda r: httpx.Response(503)))
    with pytest.raises(WsdlUnavailable, match="could not be read"):
        build_learning_client(ENDPOINT, ISU, wsdl=tmp_path / "missing.wsdl")


def test_the_isu_password_is_in_no_repr() -> None:
    assert PASSWORD not in repr(ISU)
    assert ISU.username == "ISU_LumiQ@acme"


def test_a_user_name_already_ending_in_the_tenant_is_sent_as_it_is() -> None:
    assert IsuCredentials("ISU_LumiQ@acme", "acme", SecretStr("x")).username == "ISU_LumiQ@acme"
