from __future__ import annotations

import base64
from decimal import Decimal

import httpx
import pytest

from sandbox import SandboxServer
from sandbox.images.covers import jpeg, png
from tests.unit.sandbox.course_requests import (
    DATA_XPATH,
    external_lesson,
    fault_errors,
    get_request,
    ids,
    image_data,
    manage_course,
    media_lesson,
    ok,
    post,
    ref,
)
from tests.unit.sandbox.learning_requests import NS, texts

RESPONSE = "env:Body/wd:Manage_Learning_Course_Response"
COURSES = "env:Body/wd:Get_Learning_Digital_Courses_Response"


def test_a_manage_without_reference_creates_a_course_with_every_field(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    body = manage_course(
        "ADV-SALES-001",
        topics=("TOPIC_SALES", "TOPIC_TECHNOLOGY"),
        languages=("en_GB", "fr_FR"),
        skills=("SKILL_SALES_TECHNIQUES", "SKILL_CUSTOMER_ENGAGEMENT"),
        image=image_data(png(), "adv-sales-001.png"),
    )
    root = ok(sandbox, client, body)
    course = sandbox.learning.course("ADV-SALES-001")
    assert course is not None
    assert ids(root.find(f"{RESPONSE}/wd:Course_Reference", NS)) == {
        "WID": course.wid,
        "Learning_Course_ID": "ADV-SALES-001",
    }
    assert len(ids(root.find(f"{RESPONSE}/wd:Course_Event_Reference", NS))["WID"]) == 32
    assert course.title == "Advanced Sales Techniques"
    assert course.topic_ids == ("TOPIC_SALES", "TOPIC_TECHNOLOGY")
    assert course.language_ids == ("en_GB", "fr_FR")
    assert course.skill_ids == ("SKILL_SALES_TECHNIQUES", "SKILL_CUSTOMER_ENGAGEMENT")
    assert (course.registrable_status, course.time_unit, course.total_duration) == ("Open", "minutes", Decimal(90))
    assert course.requires_enrollment is True
    assert course.inactive is False
    assert course.image is not None
    assert course.image.data == png()
    assert (course.image.file_name, course.image.content_type) == ("adv-sales-001.png", "image/png")
    [lesson] = course.lessons
    assert (lesson.order, lesson.kind, lesson.mandatory) == (Decimal(1), "external", True)
    assert lesson.url == "https://provider.example.com/courses/adv-sales-001"
    assert sandbox.learning.manage_calls == 1
    assert sandbox.learning.manage_counts() == {"ADV-SALES-001": 1}


def test_an_update_by_reference_keeps_the_wid_and_can_rekey_the_course(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    ok(sandbox, client, manage_course("OLD-REF"))
    created = sandbox.learning.course("OLD-REF")
    assert created is not None
    # Update by Learning_Course_ID: the title changes, the ID stays.
    ok(sandbox, client, manage_course("OLD-REF", "Sales Techniques II", reference=("Learning_Course_ID", "OLD-REF")))
    # The title matched: the connector sends the course's WID with the new external reference.
    root = ok(sandbox, client, manage_course("NEW-REF", "Sales Techniques II", reference=("WID", created.wid)))
    assert ids(root.find(f"{RESPONSE}/wd:Course_Reference", NS))["Learning_Course_ID"] == "NEW-REF"
    assert sandbox.learning.course("OLD-REF") is None
    rekeyed = sandbox.learning.course("NEW-REF")
    assert rekeyed is not None
    assert (rekeyed.wid, rekeyed.title, rekeyed.manages) == (created.wid, "Sales Techniques II", 3)
    assert len(sandbox.learning.courses()) == 1
    assert sandbox.learning.manage_counts() == {"NEW-REF": 3}


def test_an_update_without_an_id_keeps_the_courses_id_and_replaces_its_data(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    ok(sandbox, client, manage_course("C-1", skills=("SKILL_NEGOTIATION",), languages=("en_US",)))
    ok(sandbox, client, manage_course(None, reference=("Learning_Course_ID", "C-1"), inactive=True))
    course = sandbox.learning.course("C-1")
    assert course is not None
    assert course.inactive is True
    assert (course.skill_ids, course.language_ids) == ((), ())


def test_a_create_without_id_gets_a_generated_one(catalog_sandbox: SandboxServer, client: httpx.Client) -> None:
    root = ok(catalog_sandbox, client, manage_course(None))
    generated = ids(root.find(f"{RESPONSE}/wd:Course_Reference", NS))["Learning_Course_ID"]
    assert generated.startswith("LEARNING_COURSE-6-")
    assert catalog_sandbox.learning.course(generated) is not None


@pytest.mark.parametrize(
    ("kwargs", "value", "id_type", "xpath_tail"),
    [
        ({"topics": ("TOPIC_SALES", "TOPIC_NOPE")}, "TOPIC_NOPE", "Learning_Topic", "/bsvc:Topic_Reference[2]"),
        ({"skills": ("SKILL_JUGGLING",)}, "SKILL_JUGGLING", "Skill_ID", "/bsvc:Skill_Reference[1]"),
        ({"languages": ("en_GB", "xx_XX")}, "xx_XX", "User_Language_ID", "/bsvc:Language_Reference[2]"),
    ],
)
def test_an_unknown_topic_skill_or_language_is_workdays_invalid_id_fault(
    catalog_sandbox: SandboxServer,
    client: httpx.Client,
    kwargs: dict[str, tuple[str, ...]],
    value: str,
    id_type: str,
    xpath_tail: str,
) -> None:
    response = post(catalog_sandbox, client, manage_course("C-1", **kwargs))  # type: ignore[arg-type]
    assert fault_errors(response) == [
        (f"Invalid ID value. '{value}' is not a valid ID value for type = '{id_type}'", DATA_XPATH + xpath_tail)
    ]
    assert catalog_sandbox.learning.courses() == []
    assert catalog_sandbox.learning.manage_calls == 0


def test_an_unknown_media_wid_is_refused_and_the_configured_one_accepted(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    lessons = external_lesson(1, "https://provider.example.com/c", "C") + media_lesson(2, "0" * 32)
    errors = fault_errors(post(sandbox, client, manage_course("C-1", lessons=lessons)))
    assert errors == [
        (
            f"Invalid ID value. '{'0' * 32}' is not a valid ID value for type = 'WID'",
            DATA_XPATH + "/bsvc:Course_Lesson_Data[2]/bsvc:Media_Lesson_Data[1]/bsvc:Media_Reference[1]",
        )
    ]
    lessons = external_lesson(1, "https://provider.example.com/c", "C") + media_lesson(2, sandbox.config.media_file_wid)
    ok(sandbox, client, manage_course("C-1", lessons=lessons))
    course = sandbox.learning.course("C-1")
    assert course is not None
    assert [lesson.kind for lesson in course.lessons] == ["external", "media"]
    assert course.lessons[1].media_wid == sandbox.learning.media_file_wid == sandbox.config.media_file_wid


def test_a_learning_course_id_of_another_course_is_refused(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    ok(sandbox, client, manage_course("A"))
    ok(sandbox, client, manage_course("B", "Another title"))
    for body in (
        manage_course("A", "Another title", reference=("Learning_Course_ID", "B")),
        manage_course("A", "A third title"),  # Inferred: a create is never an upsert by ID
    ):
        errors = fault_errors(post(sandbox, client, body))
        assert errors == [("The ID 'A' is already in use by another Learning_Course", DATA_XPATH + "/bsvc:ID[1]")]
    assert [c.course_id for c in sandbox.learning.courses()] == ["A", "B"]


def test_an_unknown_course_reference_is_refused(catalog_sandbox: SandboxServer, client: httpx.Client) -> None:
    errors = fault_errors(post(catalog_sandbox, client, manage_course("X", reference=("Learning_Course_ID", "nope"))))
    assert errors[0][0] == "Invalid ID value. 'nope' is not a valid ID value for type = 'Learning_Course_ID'"


def test_a_missing_required_element_is_a_schema_fault(catalog_sandbox: SandboxServer, client: httpx.Client) -> None:
    # libxml reports a missing element inside a sequence at the element that came instead of it.
    [(message, xpath)] = fault_errors(post(catalog_sandbox, client, manage_course("C-1", topics=())))
    assert message.startswith("Invalid Subelement Registrable_Status_Reference-urn:com.workday/bsvc")
    assert xpath == DATA_XPATH + "/bsvc:Registrable_Status_Reference[1]"
    no_data = (
        "<bsvc:Manage_Learning_Course_Request><bsvc:Manage_Learning_Course_Data><bsvc:Put_Learning_Digital_Course_Request>"
        "</bsvc:Put_Learning_Digital_Course_Request></bsvc:Manage_Learning_Course_Data></bsvc:Manage_Learning_Course_Request>"
    )
    [(message, xpath)] = fault_errors(post(catalog_sandbox, client, no_data))
    assert message.startswith("Required element ")
    assert message.endswith(
        "Learning_Digital_Course_Data-urn:com.workday/bsvc missing for element Put_Learning_Digital_Course_Request"
    )
    assert xpath == DATA_XPATH.rpartition("/")[0]
    assert catalog_sandbox.learning.courses() == []


def test_a_bad_registrable_status_and_a_non_image_are_refused_together(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    body = manage_course("C-1", image=image_data(b"<html>404</html>", "c.jpg", "text/html")).replace(
        ">Open<", ">Maybe<"
    )
    errors = fault_errors(post(catalog_sandbox, client, body))
    assert [m for m, _ in errors] == [
        "Invalid ID value. 'Maybe' is not a valid ID value for type = 'Learning_Registerable_Status_ID'",
        "The file 'c.jpg' is not a valid image (text/html)",
    ]
    assert errors[1][1] == DATA_XPATH + "/bsvc:Course_Image_Data[1]/bsvc:Image[1]"


def test_get_digital_courses_pages_and_renders_the_course_data(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    for n in range(5):
        ok(
            sandbox,
            client,
            manage_course(
                f"C-{n}", f"Course {n}", languages=("de_DE",), image=image_data(jpeg(), "c.jpg", "image/jpeg")
            ),
        )
    root = ok(sandbox, client, get_request("Get_Learning_Digital_Courses", page=2, count=2))
    assert texts(root, f"{COURSES}/wd:Response_Results/wd:Total_Results") == ["5"]
    assert texts(root, f"{COURSES}/wd:Response_Results/wd:Total_Pages") == ["3"]
    data = f"{COURSES}/wd:Response_Data/wd:Learning_Digital_Course/wd:Learning_Digital_Course_Data"
    assert texts(root, f"{data}/wd:ID") == ["C-2", "C-3"]
    assert texts(root, f"{data}/wd:Course_Title") == ["Course 2", "Course 3"]
    first = root.find(data, NS)
    assert first is not None
    children = [str(element.tag).rpartition("}")[2] for element in first]
    assert children == [
        "ID", "Inactive", "Course_Title", "Description", "Topic_Reference", "Registrable_Status_Reference",
        "Time_Value_Reference", "Total_Course_Duration", "Course_Image_Data", "Language_Reference",
        "Requires_Enrollment", "Course_Lesson_Data",
    ]  # fmt: skip
    assert base64.b64decode(str(first.findtext("wd:Course_Image_Data/wd:Image", namespaces=NS))) == jpeg()
    assert ids(first.find("wd:Language_Reference", NS))["User_Language_ID"] == "de_DE"
    assert ids(first.find("wd:Topic_Reference", NS))["Learning_Topic"] == "TOPIC_SALES"
    last = ok(sandbox, client, get_request("Get_Learning_Digital_Courses", page=3, count=2))
    assert texts(last, f"{data}/wd:ID") == ["C-4"]


def test_get_digital_courses_by_reference_without_images(catalog_sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox = catalog_sandbox
    ok(sandbox, client, manage_course("A", image=image_data(png())))
    ok(sandbox, client, manage_course("B", "B title"))
    references = (
        "<bsvc:Request_References>"
        + ref("Learning_Digital_Course_Reference", "Learning_Course_ID", "B")
        + ref("Learning_Digital_Course_Reference", "Learning_Course_ID", "A")
        + "</bsvc:Request_References>"
        + "<bsvc:Response_Group><bsvc:Exclude_Course_Image_Data>true</bsvc:Exclude_Course_Image_Data>"
        + "</bsvc:Response_Group>"
    )
    root = ok(sandbox, client, get_request("Get_Learning_Digital_Courses", references))
    data = f"{COURSES}/wd:Response_Data/wd:Learning_Digital_Course/wd:Learning_Digital_Course_Data"
    assert texts(root, f"{data}/wd:ID") == ["B", "A"]
    assert root.findall(f"{data}/wd:Course_Image_Data", NS) == []


def test_topics_and_skills_are_seeded_and_paged(catalog_sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox = catalog_sandbox
    topics = "env:Body/wd:Get_Learning_Topics_Response"
    root = ok(sandbox, client, get_request("Get_Learning_Topics"))
    names = texts(root, f"{topics}/wd:Response_Data/wd:Learning_Topic/wd:Learning_Topic_Data/wd:Learning_Topic_Name")
    assert names[:3] == ["Sales", "Technology", "Accounting"]
    assert len(names) == len(sandbox.learning.topics) == 10
    first = root.find(f"{topics}/wd:Response_Data/wd:Learning_Topic/wd:Learning_Topic_Reference", NS)
    assert ids(first) == {"WID": sandbox.learning.topic("TOPIC_SALES").wid, "Learning_Topic": "TOPIC_SALES"}
    paged = ok(sandbox, client, get_request("Get_Learning_Topics", page=4, count=3))
    assert texts(
        paged, f"{topics}/wd:Response_Data/wd:Learning_Topic/wd:Learning_Topic_Data/wd:Learning_Topic_Name"
    ) == ["Communication"]
    named = ok(
        sandbox,
        client,
        get_request(
            "Get_Learning_Topics",
            "<bsvc:Request_References>"
            + ref("Learning_Topic_Reference", "Learning_Topic", "TOPIC_TAX")
            + "</bsvc:Request_References>",
        ),
    )
    assert texts(named, f"{topics}/wd:Response_Results/wd:Total_Results") == ["1"]
    assert [language.id for language in sandbox.learning.languages] == [
        "en_GB", "en_US", "fr_FR", "fr_CA", "de_DE", "es_ES",
    ]  # fmt: skip
