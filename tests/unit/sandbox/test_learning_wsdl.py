from __future__ import annotations

from importlib import resources

import pytest
from zeep import Client, Settings
from zeep.exceptions import Fault
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken

from sandbox import SandboxServer
from sandbox.population import worker_at

BINDING = "{urn:com.workday/bsvc/Learning}LearningBinding"
OPERATIONS = {
    "Put_Learning_Imported_Content",
    "Put_Learning_Imported_Record",
    "Get_Learning_Imported_Contents",
    "Get_Learning_Imported_Records",
    "Manage_Learning_Course",
    "Get_Learning_Digital_Courses",
    "Get_Learning_Topics",
    "Put_Learning_Enrollment",
    "Get_Learning_Enrollments",
}


def test_zeep_loads_the_packaged_wsdl_and_lists_the_operations() -> None:
    path = resources.files("sandbox.workday.learning.wsdl").joinpath("Learning.wsdl")
    with resources.as_file(path) as wsdl:
        client = Client(str(wsdl))  # type: ignore[no-untyped-call]
    port = client.wsdl.services["LearningService"].ports["Learning"]
    assert set(port.binding._operations) == OPERATIONS
    assert client.wsdl.bindings[BINDING] is port.binding


def _client(server: SandboxServer) -> Client:
    config = server.config
    transport = Transport(timeout=10, operation_timeout=10)  # type: ignore[no-untyped-call]
    return Client(  # type: ignore[no-untyped-call]
        server.learning_url() + "?wsdl",
        wsse=UsernameToken(f"{config.isu_username}@{config.tenant}", config.isu_password),  # type: ignore[no-untyped-call]
        settings=Settings(strict=True),
        transport=transport,
    )


def test_zeep_puts_and_gets_through_the_served_wsdl(sandbox: SandboxServer) -> None:
    service = _client(sandbox).service
    content = service.Put_Learning_Imported_Content(
        Learning_Imported_Content_Data={"ID": "ep_1", "Title": "Leases", "Description": "IFRS 16."}, version="v44.2"
    )
    assert [(i.type, i._value_1) for i in content.Learning_Imported_Content_Reference.ID][1] == (
        "Learning_Imported_Content_ID",
        "ep_1",
    )
    employee_id = worker_at(sandbox.config, 5).employee_id
    record = service.Put_Learning_Imported_Record(
        Learning_Imported_Record_Data={
            "ID": "cmp_1",
            "Learner_Reference": {"ID": [{"type": "Employee_ID", "_value_1": employee_id}]},
            "Learning_Imported_Content_Reference": {
                "ID": [{"type": "Learning_Imported_Content_ID", "_value_1": "ep_1"}]
            },
            "Completion_Date": "2026-11-20",
            "Learning_Grade_Reference": {"ID": [{"type": "Learning_Grade_ID", "_value_1": "PASS"}]},
        },
        version="v44.2",
    )
    assert record.Learning_Imported_Record_Reference.ID[1]._value_1 == "cmp_1"
    got = service.Get_Learning_Imported_Records(Response_Filter={"Page": 1, "Count": 10})
    assert got.Response_Results.Total_Results == 1
    assert got.Response_Data.Learning_Imported_Record[0].Learning_Imported_Record_Data.ID == "cmp_1"


def test_zeep_raises_workdays_validation_fault(sandbox: SandboxServer) -> None:
    service = _client(sandbox).service
    with pytest.raises(Fault) as raised:
        service.Put_Learning_Imported_Record(
            Learning_Imported_Record_Data={
                "ID": "cmp_1",
                "Learner_Reference": {"ID": [{"type": "Employee_ID", "_value_1": "nobody"}]},
                "Learning_Imported_Content_Reference": {"ID": [{"type": "WID", "_value_1": "0" * 32}]},
            }
        )
    assert raised.value.code == "SOAP-ENV:Client.validationError"
    assert raised.value.message.startswith("Validation error occurred. Invalid ID value. 'nobody'")
    assert raised.value.detail is not None
