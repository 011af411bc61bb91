from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from sandbox import SandboxServer
from sandbox.population import gone_member, worker_at
from tests.unit.sandbox.learning_requests import (
    envelope,
    get_records,
    isu_envelope,
    parse,
    put_content,
    put_record,
    security,
    texts,
)

FAULT = "env:Body/env:Fault"
ERROR = f"{FAULT}/detail/wd:Validation_Fault/wd:Validation_Error"


def _post(server: SandboxServer, client: httpx.Client, body: str, **headers: str) -> httpx.Response:
    return client.post(server.learning_url(), content=isu_envelope(server, body), headers=headers)


def _employee_id(server: SandboxServer, index: int = 3) -> str:
    return worker_at(server.config, index).employee_id


def test_a_put_content_is_stored_and_answered_with_its_reference(sandbox: SandboxServer, client: httpx.Client) -> None:
    response = _post(sandbox, client, put_content("ep_1", "Leases & <IFRS 16>"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    stored = sandbox.workday_learning.content("ep_1")
    assert stored is not None
    assert stored.title == "Leases & <IFRS 16>"
    root = parse(response.content)
    reference = "env:Body/wd:Put_Learning_Imported_Content_Response/wd:Learning_Imported_Content_Reference/wd:ID"
    ids = root.findall(reference, {"wd": "urn:com.workday/bsvc", "env": "http://schemas.xmlsoap.org/soap/envelope/"})
    assert [(i.get("{urn:com.workday/bsvc}type"), i.text) for i in ids] == [
        ("WID", stored.wid),
        ("Learning_Imported_Content_ID", "ep_1"),
    ]
    assert len(stored.wid) == 32
    assert int(stored.wid, 16) >= 0


def test_a_put_record_is_stored_and_a_repeat_is_an_upsert_that_counts(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    _post(sandbox, client, put_content("ep_1"))
    employee_id = _employee_id(sandbox)
    first = _post(sandbox, client, put_record("cmp_1", employee_id, "ep_1"))
    assert first.status_code == 200, first.text
    again = _post(sandbox, client, put_record("cmp_1", employee_id, "ep_1", completion_date="2026-11-21"))
    assert again.status_code == 200
    record = sandbox.workday_learning.record("cmp_1")
    assert record is not None
    assert (record.learner_employee_id, record.content_id, record.grade_id) == (employee_id, "ep_1", "PASS")
    assert str(record.completion_date) == "2026-11-21"
    assert sandbox.workday_learning.put_counts("record") == {"cmp_1": 2}
    assert sandbox.workday_learning.put_counts("content") == {"ep_1": 1}
    assert "Learning_Imported_Record_ID" in first.text
    assert record.wid in first.text
    assert record.wid in again.text  # the WID is stable per item


def test_a_terminated_worker_is_a_valid_learner(sandbox: SandboxServer, client: httpx.Client) -> None:
    terminated = next(
        worker_at(sandbox.config, i)
        for i in range(sandbox.config.workers)
        if worker_at(sandbox.config, i).kind == "terminated"
    )
    _post(sandbox, client, put_content("ep_1"))
    assert _post(sandbox, client, put_record("cmp_1", terminated.employee_id, "ep_1")).status_code == 200


def test_a_schema_violation_is_answered_with_workdays_validation_fault(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    body = (
        "<bsvc:Put_Learning_Imported_Record_Request><bsvc:Learning_Imported_Record_Data><bsvc:ID>cmp_1</bsvc:ID>"
        '<bsvc:Learning_Imported_Content_Reference><bsvc:ID bsvc:type="WID">x</bsvc:ID>'
        "</bsvc:Learning_Imported_Content_Reference>"
        "</bsvc:Learning_Imported_Record_Data></bsvc:Put_Learning_Imported_Record_Request>"
    )
    response = _post(sandbox, client, body)
    assert response.status_code == 500
    root = parse(response.content)
    assert texts(root, f"{FAULT}/faultcode") == ["SOAP-ENV:Client.validationError"]
    faultstring = texts(root, f"{FAULT}/faultstring")[0]
    messages = texts(root, f"{ERROR}/wd:Message")
    assert faultstring == f"Validation error occurred. {messages[0]}"
    assert "Invalid Subelement Learning_Imported_Content_Reference" in messages[0]
    assert texts(root, f"{ERROR}/wd:Xpath") == [
        "/bsvc:Put_Learning_Imported_Record_Request[1]/bsvc:Learning_Imported_Record_Data[1]"
        "/bsvc:Learning_Imported_Content_Reference[1]"
    ]
    assert texts(root, f"{ERROR}/wd:Detail_Message")
    assert sandbox.workday_learning.records() == []


def test_a_bad_date_names_its_element(sandbox: SandboxServer, client: httpx.Client) -> None:
    _post(sandbox, client, put_content("ep_1"))
    response = _post(sandbox, client, put_record("cmp_1", _employee_id(sandbox), "ep_1", completion_date="2024-02-30"))
    assert response.status_code == 500
    xpath = texts(parse(response.content), f"{ERROR}/wd:Xpath")
    assert xpath == [
        "/bsvc:Put_Learning_Imported_Record_Request[1]/bsvc:Learning_Imported_Record_Data[1]/bsvc:Completion_Date[1]"
    ]


def test_an_unknown_learner_and_unknown_content_are_refused_naming_their_references(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    not_a_worker = gone_member(sandbox.config, 0).employee_id
    assert not_a_worker is not None
    response = _post(sandbox, client, put_record("cmp_1", not_a_worker, "ep_never_put"))
    assert response.status_code == 500
    root = parse(response.content)
    assert texts(root, f"{FAULT}/faultcode") == ["SOAP-ENV:Client.validationError"]
    assert texts(root, f"{ERROR}/wd:Message") == [
        f"Invalid ID value. '{not_a_worker}' is not a valid ID value for type = 'Employee_ID'",
        "Invalid ID value. 'ep_never_put' is not a valid ID value for type = 'Learning_Imported_Content_ID'",
    ]
    data = "/bsvc:Put_Learning_Imported_Record_Request[1]/bsvc:Learning_Imported_Record_Data[1]"
    assert texts(root, f"{ERROR}/wd:Xpath") == [
        f"{data}/bsvc:Learner_Reference[1]",
        f"{data}/bsvc:Learning_Imported_Content_Reference[1]",
    ]
    assert sandbox.workday_learning.records() == []


def test_only_pass_and_fail_are_grades(sandbox: SandboxServer, client: httpx.Client) -> None:
    _post(sandbox, client, put_content("ep_1"))
    assert _post(sandbox, client, put_record("cmp_1", _employee_id(sandbox), "ep_1", grade="FAIL")).status_code == 200
    response = _post(sandbox, client, put_record("cmp_2", _employee_id(sandbox), "ep_1", grade="A+"))
    assert texts(parse(response.content), f"{ERROR}/wd:Message") == [
        "Invalid ID value. 'A+' is not a valid ID value for type = 'Learning_Grade_ID'"
    ]


@pytest.mark.parametrize(
    "header",
    [
        None,
        security("ISU_LumiQ@acme", "wrong"),
        security("ISU_LumiQ", "wlc-sandbox-isu-password"),  # the tenant is part of the user name
        security("ISU_LumiQ@other", "wlc-sandbox-isu-password"),
    ],
)
def test_bad_credentials_get_the_authentication_fault(
    sandbox: SandboxServer, client: httpx.Client, header: str | None
) -> None:
    response = client.post(sandbox.learning_url(), content=envelope(put_content("ep_1"), header))
    assert response.status_code == 500
    root = parse(response.content)
    assert texts(root, f"{FAULT}/faultcode") == ["SOAP-ENV:Client.authenticationError"]
    assert texts(root, f"{FAULT}/faultstring") == ["invalid username or password"]
    assert sandbox.workday_learning.contents() == []


def test_a_bearer_token_from_the_token_endpoint_is_accepted(sandbox: SandboxServer, client: httpx.Client) -> None:
    config = sandbox.config
    token = client.post(
        sandbox.token_url,
        data={"grant_type": "refresh_token", "refresh_token": config.refresh_token},
        auth=(config.client_id, config.client_secret),
    ).json()["access_token"]
    body = envelope(put_content("ep_1"), None)
    ok = client.post(sandbox.learning_url(), content=body, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    refused = client.post(sandbox.learning_url(), content=body, headers={"Authorization": "Bearer nope"})
    assert "Client.authenticationError" in refused.text


@pytest.mark.parametrize(
    "document",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><soapenv:Envelope '
        b'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>&a;</soapenv:Body></soapenv:Envelope>',
        b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'.encode("utf-16"),
    ],
)
def test_a_doctype_or_entity_is_refused_with_a_soap_fault(
    sandbox: SandboxServer, client: httpx.Client, document: bytes
) -> None:
    response = client.post(sandbox.learning_url(), content=document)
    assert response.status_code == 500
    root = parse(response.content)
    assert texts(root, f"{FAULT}/faultcode") == ["SOAP-ENV:Client"]
    assert "DOCTYPE" in texts(root, f"{FAULT}/faultstring")[0]


def test_an_unknown_operation_is_a_validation_fault(sandbox: SandboxServer, client: httpx.Client) -> None:
    response = _post(sandbox, client, "<bsvc:Get_Workers_Request/>")
    assert response.status_code == 500
    root = parse(response.content)
    assert texts(root, f"{FAULT}/faultcode") == ["SOAP-ENV:Client.validationError"]
    assert texts(root, f"{ERROR}/wd:Xpath") == ["/bsvc:Get_Workers_Request[1]"]


def test_get_records_pages_with_response_filter(sandbox: SandboxServer, client: httpx.Client) -> None:
    _post(sandbox, client, put_content("ep_1"))
    for n in range(5):
        assert _post(sandbox, client, put_record(f"cmp_{n}", _employee_id(sandbox, n), "ep_1")).status_code == 200
    seen: list[str] = []
    for page in (1, 2, 3):
        root = parse(_post(sandbox, client, get_records(page=page, count=2)).content)
        results = "env:Body/wd:Get_Learning_Imported_Records_Response/wd:Response_Results"
        assert texts(root, f"{results}/wd:Total_Results") == ["5"]
        assert texts(root, f"{results}/wd:Total_Pages") == ["3"]
        assert texts(root, f"{results}/wd:Page") == [str(page)]
        data = "env:Body/wd:Get_Learning_Imported_Records_Response/wd:Response_Data/wd:Learning_Imported_Record"
        ids = texts(root, f"{data}/wd:Learning_Imported_Record_Data/wd:ID")
        assert texts(root, f"{results}/wd:Page_Results") == [str(len(ids))]
        seen += ids
    assert seen == [f"cmp_{n}" for n in range(5)]
    everything = parse(_post(sandbox, client, get_records()).content)
    assert texts(everything, "env:Body/*/wd:Response_Filter/wd:Count") == ["100"]


def test_get_records_by_reference_and_page_zero(sandbox: SandboxServer, client: httpx.Client) -> None:
    _post(sandbox, client, put_content("ep_1"))
    _post(sandbox, client, put_record("cmp_1", _employee_id(sandbox), "ep_1"))
    references = (
        "<bsvc:Request_References><bsvc:Learning_Imported_Record_Reference>"
        '<bsvc:ID bsvc:type="Learning_Imported_Record_ID">cmp_1</bsvc:ID>'
        "</bsvc:Learning_Imported_Record_Reference></bsvc:Request_References>"
    )
    root = parse(_post(sandbox, client, get_records(references=references)).content)
    assert texts(root, "env:Body/*/wd:Response_Data/*/wd:Learning_Imported_Record_Data/wd:ID") == ["cmp_1"]
    zero = parse(_post(sandbox, client, get_records(page=0)).content)
    assert texts(zero, f"{ERROR}/wd:Message") == ["Page Number cannot be zero."]


def test_an_injected_processing_fault_has_workdays_shape(sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox.faults.processing_fault_rate = 1.0
    response = _post(sandbox, client, put_content("ep_1"))
    assert response.status_code == 500
    root = parse(response.content)
    assert texts(root, f"{FAULT}/faultcode") == ["SOAP-ENV:Server.processingError"]
    assert texts(root, f"{FAULT}/detail/wd:Processing_Fault/wd:Detail_Message")
    assert sandbox.workday_learning.contents() == []


@pytest.mark.parametrize("after", [False, True])
def test_an_injected_connection_reset_drops_the_answer(
    sandbox: SandboxServer, client: httpx.Client, after: bool
) -> None:
    sandbox.faults.reset_connection_rate = 1.0
    sandbox.faults.reset_after_processing = after
    with pytest.raises(httpx.TransportError):
        _post(sandbox, client, put_content("ep_1"))
    assert (sandbox.workday_learning.content("ep_1") is not None) is after


def test_status_faults_apply_to_the_soap_side(sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox.faults.fail_next = [503]
    assert _post(sandbox, client, put_content("ep_1")).status_code == 503
    assert _post(sandbox, client, put_content("ep_1")).status_code == 200


def test_the_wsdl_is_served_with_this_endpoints_address(sandbox: SandboxServer, client: httpx.Client) -> None:
    response = client.get(sandbox.learning_url("v45.1") + "?wsdl")
    assert response.status_code == 200
    address = parse(response.content).find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
    assert address is not None
    assert address.get("location") == sandbox.learning_url("v45.1")
    assert client.get(sandbox.learning_url("latest") + "?wsdl").status_code == 404


def test_latency_delays_each_of_several_concurrent_requests(sandbox: SandboxServer) -> None:
    """That they overlap is measured by the transcript benchmark; a test never bounds wall-clock time."""
    sandbox.faults.latency_ms = 300
    body = isu_envelope(sandbox, put_content("ep_1"))

    def post(_: int) -> float:
        with httpx.Client(timeout=10) as client:
            response = client.post(sandbox.learning_url(), content=body)
            assert response.status_code == 200
            return response.elapsed.total_seconds()

    with ThreadPoolExecutor(4) as pool:
        elapsed = list(pool.map(post, range(4)))
    assert min(elapsed) >= 0.3  # a lower bound a sleep guarantees, not a race
