"""Raw SOAP requests for the unified LMS operations, written by hand as a client would send them."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from xml.sax.saxutils import escape

import httpx
from lxml import etree

from sandbox import SandboxServer
from sandbox.population import worker_at
from tests.unit.sandbox.learning_requests import NS, isu_envelope, parse

FAULT = "env:Body/env:Fault"
ERROR = f"{FAULT}/detail/wd:Validation_Fault/wd:Validation_Error"
DATA_XPATH = (
    "/bsvc:Manage_Learning_Course_Request[1]/bsvc:Manage_Learning_Course_Data[1]"
    "/bsvc:Put_Learning_Digital_Course_Request[1]/bsvc:Learning_Digital_Course_Data[1]"
)


def post(server: SandboxServer, client: httpx.Client, body: str) -> httpx.Response:
    return client.post(server.learning_url(), content=isu_envelope(server, body))


def ok(server: SandboxServer, client: httpx.Client, body: str) -> etree._Element:
    response = post(server, client, body)
    assert response.status_code == 200, response.text
    return parse(response.content)


def fault_errors(response: httpx.Response) -> list[tuple[str, str]]:
    """(Message, Xpath) of each Validation_Error."""
    assert response.status_code == 500, response.text
    root = parse(response.content)
    assert root.findtext(f"{FAULT}/faultcode", namespaces=NS) == "SOAP-ENV:Client.validationError"
    return [
        (str(e.findtext("wd:Message", namespaces=NS)), str(e.findtext("wd:Xpath", namespaces=NS)))
        for e in root.iterfind(ERROR, NS)
    ]


def employee_id(server: SandboxServer, index: int = 2) -> str:
    return worker_at(server.config, index).employee_id


def ref(name: str, id_type: str, value: str) -> str:
    return f'<bsvc:{name}><bsvc:ID bsvc:type="{id_type}">{escape(value)}</bsvc:ID></bsvc:{name}>'


def external_lesson(order: int, url: str, title: str, *, mandatory: bool = True) -> str:
    return (
        f"<bsvc:Course_Lesson_Data><bsvc:Lesson_Order>{order}</bsvc:Lesson_Order>"
        f"<bsvc:Make_Lesson_Mandatory>{str(mandatory).lower()}</bsvc:Make_Lesson_Mandatory>"
        f"<bsvc:External_Content_Lesson_Data><bsvc:External_Content_URL>{escape(url)}</bsvc:External_Content_URL>"
        f"<bsvc:Learning_Course_Lesson_Title>{escape(title)}</bsvc:Learning_Course_Lesson_Title>"
        "</bsvc:External_Content_Lesson_Data></bsvc:Course_Lesson_Data>"
    )


def media_lesson(order: int, media_wid: str) -> str:
    return (
        f"<bsvc:Course_Lesson_Data><bsvc:Lesson_Order>{order}</bsvc:Lesson_Order>"
        "<bsvc:Make_Lesson_Mandatory>true</bsvc:Make_Lesson_Mandatory><bsvc:Media_Lesson_Data>"
        f"{ref('Media_Reference', 'WID', media_wid)}"
        "<bsvc:Learning_Course_Lesson_Title>Finish on the provider's site</bsvc:Learning_Course_Lesson_Title>"
        "</bsvc:Media_Lesson_Data></bsvc:Course_Lesson_Data>"
    )


def image_data(data: bytes, file_name: str = "cover.png", content_type: str = "image/png") -> str:
    return (
        f"<bsvc:Course_Image_Data><bsvc:File_Name>{file_name}</bsvc:File_Name>"
        f"<bsvc:Content_Type>{content_type}</bsvc:Content_Type>"
        f"<bsvc:Image>{base64.b64encode(data).decode()}</bsvc:Image></bsvc:Course_Image_Data>"
    )


def manage_course(
    course_id: str | None,
    title: str = "Advanced Sales Techniques",
    *,
    reference: tuple[str, str] | None = None,
    topics: Sequence[str] = ("TOPIC_SALES",),
    languages: Sequence[str] = (),
    skills: Sequence[str] = (),
    lessons: str | None = None,
    image: str = "",
    inactive: bool = False,
    requires_enrollment: bool | None = True,
    extra_before_title: str = "",
) -> str:
    """A Manage_Learning_Course request as the course wrapper sends it (one mandatory external lesson)."""
    if lessons is None:
        lessons = external_lesson(1, "https://provider.example.com/courses/adv-sales-001", title)
    parts = [
        "" if course_id is None else f"<bsvc:ID>{escape(course_id)}</bsvc:ID>",
        f"<bsvc:Inactive>{str(inactive).lower()}</bsvc:Inactive>",
        extra_before_title,
        f"<bsvc:Course_Title>{escape(title)}</bsvc:Course_Title>",
        "<bsvc:Description>A comprehensive course covering modern B2B sales strategies.</bsvc:Description>",
        *(ref("Topic_Reference", "Learning_Topic", t) for t in topics),
        ref("Registrable_Status_Reference", "Learning_Registerable_Status_ID", "Open"),
        ref("Time_Value_Reference", "Learning_Time_Unit_ID", "minutes"),
        "<bsvc:Total_Course_Duration>90</bsvc:Total_Course_Duration>",
        image,
        *(ref("Language_Reference", "User_Language_ID", code) for code in languages),
        *(ref("Skill_Reference", "Skill_ID", s) for s in skills),
        ""
        if requires_enrollment is None
        else f"<bsvc:Requires_Enrollment>{str(requires_enrollment).lower()}</bsvc:Requires_Enrollment>",
        lessons,
    ]
    target = "" if reference is None else ref("Learning_Digital_Course_Reference", *reference)
    return (
        '<bsvc:Manage_Learning_Course_Request bsvc:version="v44.2"><bsvc:Manage_Learning_Course_Data>'
        f"<bsvc:Put_Learning_Digital_Course_Request>{target}<bsvc:Learning_Digital_Course_Data>{''.join(parts)}"
        "</bsvc:Learning_Digital_Course_Data></bsvc:Put_Learning_Digital_Course_Request>"
        "</bsvc:Manage_Learning_Course_Data>"
        "<bsvc:Business_Process_Parameters><bsvc:Auto_Complete>true</bsvc:Auto_Complete>"
        "</bsvc:Business_Process_Parameters></bsvc:Manage_Learning_Course_Request>"
    )


def put_enrollment(
    course_id: str,
    learner: str,
    *,
    reference: tuple[str, str] | None = None,
    completed_at: str | None = None,
    grade: str | None = None,
    score: str | None = None,
    rescind: bool = False,
    item_id: str | None = None,
) -> str:
    parts = [
        "" if item_id is None else f"<bsvc:ID>{item_id}</bsvc:ID>",
        ref("Learning_Content_Reference", "Learning_Course_ID", course_id),
        ref("Learner_Reference", "Employee_ID", learner),
        ""
        if completed_at is None
        else f"<bsvc:Learning_Enrollment_Completion_Date>{completed_at}</bsvc:Learning_Enrollment_Completion_Date>",
        "" if score is None else f"<bsvc:Overall_Course_Score>{score}</bsvc:Overall_Course_Score>",
        "" if grade is None else ref("Learning_Grade_Reference", "Learning_Grade_ID", grade),
        "<bsvc:Rescind_Enrollment>true</bsvc:Rescind_Enrollment>" if rescind else "",
    ]
    target = "" if reference is None else ref("Learning_Enrollment_Reference", *reference)
    return (
        f'<bsvc:Put_Learning_Enrollment_Request bsvc:version="v44.2">{target}'
        f"<bsvc:Learning_Enrollment_Data>{''.join(parts)}</bsvc:Learning_Enrollment_Data>"
        "</bsvc:Put_Learning_Enrollment_Request>"
    )


def get_request(operation: str, inner: str = "", page: int | None = None, count: int | None = None) -> str:
    paging = "".join(
        f"<bsvc:{name}>{value}</bsvc:{name}>" for name, value in (("Page", page), ("Count", count)) if value is not None
    )
    response_filter = f"<bsvc:Response_Filter>{paging}</bsvc:Response_Filter>" if paging else ""
    # Response_Group follows Response_Filter; everything else in ``inner`` precedes it.
    before, _, group = inner.partition("<bsvc:Response_Group>")
    after = f"<bsvc:Response_Group>{group}" if group else ""
    return f"<bsvc:{operation}_Request>{before}{response_filter}{after}</bsvc:{operation}_Request>"


def ids(element: etree._Element | None) -> dict[str, str]:
    """The IDs of a reference element, by type."""
    assert element is not None
    return {str(i.get(f"{{{NS['wd']}}}type")): str(i.text) for i in element.iterfind("wd:ID", NS)}
