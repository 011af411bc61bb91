"""What goes on the wire for imported content and records: the elements, their order, the ID types, the
``wd:version`` attribute and the WS-Security header, as serialised by zeep against the project's WSDL."""

from __future__ import annotations

import dataclasses

from lxml import etree

from adapters.workday.learning.contract import LEARNING
from adapters.workday.learning.imported_requests import content_request, record_request
from adapters.workday.soap.declaration import Feature, Service
from adapters.workday.soap.resolution import RequestNames, Resolution
from tests.unit.adapters.workday.soap import A_CONTENT, A_RECORD, NS, PASSWORD, content_reply, record_reply, sink_for

WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
PASSWORD_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"


def children(element: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in element]


def test_content_is_sent_as_its_id_title_and_description_with_the_version() -> None:
    sink, workday, _ = sink_for(content_reply())

    sink.put_content(A_CONTENT)

    request = workday.body().find("env:Body/wd:Put_Learning_Imported_Content_Request", NS)
    assert request is not None
    assert request.get(f"{{{NS['wd']}}}version") == "v44.2"
    assert children(request) == ["Learning_Imported_Content_Data"]
    data = request.find("wd:Learning_Imported_Content_Data", NS)
    assert data is not None
    assert children(data) == ["ID", "Title", "Description"]
    assert [child.text for child in data] == [A_CONTENT.id, A_CONTENT.title, A_CONTENT.description]


def test_a_record_names_learner_content_and_grade_by_id_type_and_leaves_start_date_and_score_out() -> None:
    sink, workday, _ = sink_for(record_reply())

    sink.put_record(A_RECORD)

    request = workday.body().find("env:Body/wd:Put_Learning_Imported_Record_Request", NS)
    assert request is not None
    assert request.get(f"{{{NS['wd']}}}version") == "v44.2"
    assert children(request) == ["Learning_Imported_Record_Data"]
    data = request.find("wd:Learning_Imported_Record_Data", NS)
    assert data is not None
    assert children(data) == [
        "ID",
        "Learner_Reference",
        "Learning_Imported_Content_Reference",
        "Completion_Date",
        "Learning_Grade_Reference",
        "Inactive",
    ]
    ids = {
        name: (element.get(f"{{{NS['wd']}}}type"), element.text)
        for name in ("Learner_Reference", "Learning_Imported_Content_Reference", "Learning_Grade_Reference")
        for element in data.iterfind(f"wd:{name}/wd:ID", NS)
    }
    assert ids == {
        "Learner_Reference": ("Employee_ID", "21001"),
        "Learning_Imported_Content_Reference": ("Learning_Imported_Content_ID", "course-17"),
        "Learning_Grade_Reference": ("Learning_Grade_ID", "PASS"),
    }
    assert data.findtext("wd:ID", namespaces=NS) == "completion-9"
    assert data.findtext("wd:Completion_Date", namespaces=NS) == "2026-03-04"
    assert data.findtext("wd:Inactive", namespaces=NS) == "false"


def test_a_revoked_record_is_sent_inactive() -> None:
    sink, workday, _ = sink_for(record_reply())

    sink.put_record(dataclasses.replace(A_RECORD, inactive=True))

    assert workday.body().findtext(".//wd:Learning_Imported_Record_Data/wd:Inactive", namespaces=NS) == "true"


def test_the_isu_signs_in_with_a_plain_text_password_as_user_at_tenant() -> None:
    sink, workday, _ = sink_for(content_reply())

    sink.put_content(A_CONTENT)

    token = workday.body().find(f"env:Header/{{{WSSE}}}Security/{{{WSSE}}}UsernameToken", NS)
    assert token is not None
    assert token.findtext(f"{{{WSSE}}}Username") == "ISU_LumiQ@acme"
    password = token.find(f"{{{WSSE}}}Password")
    assert password is not None
    assert password.text == PASSWORD
    assert password.get("Type") == PASSWORD_TEXT
    assert "Authorization" not in workday.requests[0].headers


def test_requests_are_dicts_zeep_takes_with_references_as_id_lists() -> None:
    names = RequestNames(Resolution.as_declared(LEARNING, Service.LEARNING, "v44.2"), Feature.TRANSCRIPTS)
    assert content_request(A_CONTENT, "v44.2", names) == {
        "version": "v44.2",
        "Learning_Imported_Content_Data": {
            "ID": "course-17",
            "Title": "Ethics for Accountants",
            "Description": "Ethics. Field of study: Ethics. Credits: 1.",
        },
    }
    data = record_request(A_RECORD, "v44.2", names)["Learning_Imported_Record_Data"]
    assert isinstance(data, dict)
    assert data["Learner_Reference"] == {"ID": [{"type": "Employee_ID", "_value_1": "21001"}]}
    assert "Start_Date" not in data
    assert "Overall_Score" not in data
