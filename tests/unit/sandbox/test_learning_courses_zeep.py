"""The unified LMS operations through zeep and the served WSDL, as the connector's client calls them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from zeep import Client, Settings
from zeep.exceptions import Fault
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken

from sandbox import SandboxServer
from sandbox.images.covers import png
from sandbox.population import worker_at


def _service(server: SandboxServer) -> object:
    config = server.config
    client = Client(  # type: ignore[no-untyped-call]
        server.learning_url() + "?wsdl",
        wsse=UsernameToken(f"{config.isu_username}@{config.tenant}", config.isu_password),  # type: ignore[no-untyped-call]
        settings=Settings(strict=True),
        transport=Transport(timeout=10, operation_timeout=10),  # type: ignore[no-untyped-call]
    )
    return client.service


def _course_data(course_id: str, title: str, media_wid: str | None = None) -> dict[str, object]:
    lessons: list[dict[str, object]] = [
        {
            "Lesson_Order": 1,
            "Make_Lesson_Mandatory": True,
            "External_Content_Lesson_Data": {
                "External_Content_URL": "https://provider.example.com/c",
                "Learning_Course_Lesson_Title": title,
            },
        }
    ]
    if media_wid is not None:
        lessons.append(
            {
                "Lesson_Order": 2,
                "Make_Lesson_Mandatory": True,
                "Media_Lesson_Data": {
                    "Media_Reference": {"ID": [{"type": "WID", "_value_1": media_wid}]},
                    "Learning_Course_Lesson_Title": "Blocker",
                },
            }
        )
    return {
        "ID": course_id,
        "Inactive": False,
        "Course_Title": title,
        "Description": "Description.",
        "Topic_Reference": [{"ID": [{"type": "Learning_Topic", "_value_1": "TOPIC_SALES"}]}],
        "Registrable_Status_Reference": {"ID": [{"type": "Learning_Registerable_Status_ID", "_value_1": "Open"}]},
        "Time_Value_Reference": {"ID": [{"type": "Learning_Time_Unit_ID", "_value_1": "minutes"}]},
        "Total_Course_Duration": Decimal(91),
        "Course_Image_Data": {"File_Name": "cover.png", "Content_Type": "image/png", "Image": png()},
        "Language_Reference": [{"ID": [{"type": "User_Language_ID", "_value_1": "en_GB"}]}],
        "Skill_Reference": [{"ID": [{"type": "Skill_ID", "_value_1": "SKILL_NEGOTIATION"}]}],
        "Requires_Enrollment": True,
        "Course_Lesson_Data": lessons,
    }


def test_zeep_manages_and_gets_courses_and_enrollments(catalog_sandbox: SandboxServer) -> None:
    sandbox = catalog_sandbox
    service: object = _service(sandbox)
    created = service.Manage_Learning_Course(  # type: ignore[attr-defined]
        Manage_Learning_Course_Data={
            "Put_Learning_Digital_Course_Request": {
                "Learning_Digital_Course_Data": _course_data("C-1", "Course", sandbox.config.media_file_wid)
            }
        },
        Business_Process_Parameters={"Auto_Complete": True},
        version="v44.2",
    )
    wid = created.Course_Reference.ID[0]._value_1
    course = sandbox.learning.course("C-1")
    assert course is not None
    assert course.wid == wid
    assert course.image is not None
    assert course.image.data == png()
    updated = service.Manage_Learning_Course(  # type: ignore[attr-defined]
        Manage_Learning_Course_Data={
            "Put_Learning_Digital_Course_Request": {
                "Learning_Digital_Course_Reference": {"ID": [{"type": "WID", "_value_1": wid}]},
                "Learning_Digital_Course_Data": _course_data("C-2", "Course", sandbox.config.media_file_wid),
            }
        },
    )
    assert updated.Course_Reference.ID[1]._value_1 == "C-2"
    got = service.Get_Learning_Digital_Courses(  # type: ignore[attr-defined]
        Response_Filter={"Page": 1, "Count": 10}, Response_Group={"Exclude_Course_Image_Data": False}
    )
    assert got.Response_Results.Total_Results == 1
    data = got.Response_Data.Learning_Digital_Course[0].Learning_Digital_Course_Data
    assert (data.ID, data.Course_Title, data.Requires_Enrollment, data.Total_Course_Duration) == (
        "C-2",
        "Course",
        True,
        Decimal(91),
    )
    assert data.Course_Image_Data.Image == png()
    assert (
        data.Course_Lesson_Data[0].External_Content_Lesson_Data.External_Content_URL == "https://provider.example.com/c"
    )
    topics = service.Get_Learning_Topics()  # type: ignore[attr-defined]
    assert topics.Response_Data.Learning_Topic[0].Learning_Topic_Data.Learning_Topic_Name == "Sales"
    learner = worker_at(sandbox.config, 1).employee_id
    launched = sandbox.enrollments.launch(learner, "C-2")
    found = service.Get_Learning_Enrollments(  # type: ignore[attr-defined]
        Request_Criteria={
            "Learning_Content_Reference": {"ID": [{"type": "Learning_Course_ID", "_value_1": "C-2"}]},
            "Learner_Reference": {"ID": [{"type": "Employee_ID", "_value_1": learner}]},
        }
    )
    [enrollment] = found.Response_Data.Learning_Enrollment
    assert enrollment.Learning_Enrollment_Data.Created_On_Launch is True
    assert enrollment.Learning_Enrollment_Data.Learning_Enrollment_Completion_Date is None
    put = service.Put_Learning_Enrollment(  # type: ignore[attr-defined]
        Learning_Enrollment_Reference=enrollment.Learning_Enrollment_Reference,
        Learning_Enrollment_Data={
            "Learning_Content_Reference": {"ID": [{"type": "Learning_Course_ID", "_value_1": "C-2"}]},
            "Learner_Reference": {"ID": [{"type": "Employee_ID", "_value_1": learner}]},
            "Learning_Enrollment_Completion_Date": "2025-01-15T14:45:30Z",
            "Learning_Grade_Reference": {"ID": [{"type": "Learning_Grade_ID", "_value_1": "PASS"}]},
        },
    )
    assert put.Learning_Enrollment_Reference.ID[0]._value_1 == launched.wid
    assert sandbox.enrollments.enrollments()[0].status == "Completed"


def test_zeep_raises_the_invalid_topic_fault(catalog_sandbox: SandboxServer) -> None:
    data = _course_data("C-1", "Course")
    data["Topic_Reference"] = [{"ID": [{"type": "Learning_Topic", "_value_1": "Gardening"}]}]
    with pytest.raises(Fault) as raised:
        _service(catalog_sandbox).Manage_Learning_Course(  # type: ignore[attr-defined]
            Manage_Learning_Course_Data={"Put_Learning_Digital_Course_Request": {"Learning_Digital_Course_Data": data}}
        )
    assert raised.value.message == (
        "Validation error occurred. Invalid ID value. 'Gardening' is not a valid ID value for type = 'Learning_Topic'"
    )
