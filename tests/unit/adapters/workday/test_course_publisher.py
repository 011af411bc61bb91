"""WorkdayCoursePublisher over a scripted service: the Manage_Learning_Course request it builds, how it reads
topics and skills page by page, and how Workday's answers become results."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from returns.result import Failure, Success

from adapters.workday.errors import SoapAuthRejected, WorkdayUnavailable
from adapters.workday.learning.course_publisher import WorkdayCoursePublisher
from adapters.workday.talent.skills import WorkdaySkills
from domain.content_dedup import CatalogCourse
from domain.course_wrapper import AccountSettings, CoverImage, DigitalCourse, wrap
from domain.learning_content import Content, Named
from domain.omissions import Publication
from tests.unit.adapters.workday.scripted_service import (
    NO_WAIT,
    ScriptedService,
    client_over,
    page,
    ref,
    talent_over,
    validation_fault,
)

TOPICS = [
    {"Learning_Topic_Reference": ref(WID="t1", Learning_Topic="TOPIC_SAFETY"),
     "Learning_Topic_Data": {"Learning_Topic_Name": "Safety", "Inactive": False}},
    {"Learning_Topic_Reference": ref(WID="t2", Learning_Topic="TOPIC_OLD"),
     "Learning_Topic_Data": {"Learning_Topic_Name": "Old", "Inactive": True}},
]  # fmt: skip
SKILLS = [{"Skill_Reference": ref(WID="s1", Skill_ID="SKILL_PY"), "Skill_Data": {"Name": "Python", "ID": "SKILL_PY"}}]
IMAGE = CoverImage("cover.png", "image/png", b"\x89PNG...")


def a_course(**changes: Any) -> DigitalCourse:
    fields: dict[str, Any] = {
        "title": "Fire safety",
        "external_reference": "ext-1",
        "content_url": "https://provider.example/fire",
        "description": "<p>Stay safe</p>",
        "languages": ("en-gb",),
        "duration": timedelta(minutes=90),
        "skills": (Named("python"),),
        "categories": (Named("Safety"),),
    }
    content = Content(**(fields | changes))
    return wrap(content, AccountSettings(media_file_wid="media-wid"), IMAGE)


def publisher(service: ScriptedService) -> WorkdayCoursePublisher:
    service.answer("Get_Learning_Topics", page("Learning_Topic", TOPICS, 1, 1))
    service.answer("Get_Skills", page("Skill", SKILLS, 1, 1))
    skills = WorkdaySkills(lambda: talent_over(service), retry=NO_WAIT)
    return WorkdayCoursePublisher(client_over(service), skills, retry=NO_WAIT, sleep=lambda _: None)


def test_a_new_course_is_sent_with_topics_and_skills_by_wid_and_the_wrapper_defaults() -> None:
    service = ScriptedService()
    service.answer("Manage_Learning_Course", {"Course_Reference": ref(WID="wid-9", Learning_Course_ID="ext-1")})

    result = publisher(service).publish(a_course(), None)

    assert result == Success(Publication(CatalogCourse("wid-9", "ext-1", "Fire safety")))
    request = service.requests("Manage_Learning_Course")[0]
    assert request["Business_Process_Parameters"] == {"Auto_Complete": True}
    put = request["Manage_Learning_Course_Data"]["Put_Learning_Digital_Course_Request"]
    assert "Learning_Digital_Course_Reference" not in put
    data = put["Learning_Digital_Course_Data"]
    assert data["ID"] == "ext-1"
    assert data["Inactive"] is False
    assert data["Topic_Reference"] == [ref(WID="t1")]
    assert data["Skill_Reference"] == [ref(WID="s1")]
    assert data["Language_Reference"] == [ref(User_Language_ID="en_GB")]
    assert data["Registrable_Status_Reference"] == ref(Learning_Registerable_Status_ID="Open")
    assert data["Time_Value_Reference"] == ref(Learning_Time_Unit_ID="minutes")
    assert data["Total_Course_Duration"] == 90
    assert data["Requires_Enrollment"] is True
    assert data["Course_Image_Data"] == {"File_Name": "cover.png", "Content_Type": "image/png", "Image": IMAGE.data}
    first, blocker = data["Course_Lesson_Data"]
    assert first == {
        "Lesson_Order": 1,
        "Make_Lesson_Mandatory": True,
        "External_Content_Lesson_Data": {
            "External_Content_URL": "https://provider.example/fire",
            "Learning_Course_Lesson_Title": "Fire safety",
        },
    }
    assert blocker["Media_Lesson_Data"]["Media_Reference"] == ref(WID="media-wid")


def test_an_update_names_the_existing_course_by_wid_and_sends_the_new_reference_as_its_id() -> None:
    service = ScriptedService()
    service.answer("Manage_Learning_Course", {"Course_Reference": ref(WID="wid-3")})
    existing = CatalogCourse("wid-3", "old-ref", "Fire safety")

    result = publisher(service).publish(a_course(active=False), existing)

    assert result == Success(Publication(CatalogCourse("wid-3", "ext-1", "Fire safety", active=False)))
    put = service.requests("Manage_Learning_Course")[0]["Manage_Learning_Course_Data"][
        "Put_Learning_Digital_Course_Request"
    ]
    assert put["Learning_Digital_Course_Reference"] == ref(WID="wid-3")
    assert put["Learning_Digital_Course_Data"]["ID"] == "ext-1"
    assert put["Learning_Digital_Course_Data"]["Inactive"] is True


def test_a_refused_course_is_a_failure_with_workdays_message_and_xpath_and_is_sent_once() -> None:
    service = ScriptedService()
    xpath = "/wd:Manage_Learning_Course_Request[1]/wd:Topic_Reference[1]"
    service.answer("Manage_Learning_Course", validation_fault("Invalid ID value. 'Nope'", xpath))

    result = publisher(service).publish(a_course(categories=(Named("Nope"),)), None)

    assert isinstance(result, Failure)
    assert "'Nope'" in str(result.failure())
    assert xpath in str(result.failure())
    assert len(service.requests("Manage_Learning_Course")) == 1
    topics_sent = service.requests("Manage_Learning_Course")[0]["Manage_Learning_Course_Data"]
    assert topics_sent["Put_Learning_Digital_Course_Request"]["Learning_Digital_Course_Data"]["Topic_Reference"] == [
        ref(Learning_Topic="Nope")
    ]


def test_a_transient_failure_is_retried_and_then_succeeds() -> None:
    service = ScriptedService()
    service.answer("Manage_Learning_Course", WorkdayUnavailable("HTTP 503", 503), {"Course_Reference": ref(WID="w")})

    result = publisher(service).publish(a_course(), None)

    assert isinstance(result, Success)
    assert len(service.requests("Manage_Learning_Course")) == 2


def test_retries_that_run_out_are_a_failure() -> None:
    service = ScriptedService()
    service.answer("Manage_Learning_Course", WorkdayUnavailable("HTTP 503", 503))

    result = publisher(service).publish(a_course(), None)

    assert isinstance(result, Failure)
    assert "gave up" in str(result.failure())


def test_refused_credentials_are_raised() -> None:
    service = ScriptedService()
    service.answer("Manage_Learning_Course", SoapAuthRejected("refused"))

    with pytest.raises(SoapAuthRejected):
        publisher(service).publish(a_course(), None)


def test_topics_are_read_page_by_page_with_one_as_of_moment_and_inactive_ones_left_out() -> None:
    service = ScriptedService()
    service.answer(
        "Get_Learning_Topics", page("Learning_Topic", TOPICS[:1], 1, 2), page("Learning_Topic", TOPICS[1:], 2, 2)
    )
    topics = publisher_of_topics(service).topics()

    assert topics == [Named("Safety", "TOPIC_SAFETY", "t1")]
    filters = [r["Response_Filter"] for r in service.requests("Get_Learning_Topics")]
    assert [(f["Page"], f["Count"]) for f in filters] == [(1, 999), (2, 999)]
    assert filters[0]["As_Of_Entry_DateTime"] == filters[1]["As_Of_Entry_DateTime"]


def publisher_of_topics(service: ScriptedService) -> WorkdayCoursePublisher:
    skills = WorkdaySkills(lambda: talent_over(service), retry=NO_WAIT)
    return WorkdayCoursePublisher(client_over(service), skills, retry=NO_WAIT)


def test_skills_are_listed_by_the_talent_service_with_their_wid_and_skill_id() -> None:
    service = ScriptedService()

    assert publisher(service).skills() == [Named("Python", "SKILL_PY", "s1")]
    assert service.requests("Get_Skills")[0]["version"] == "v44.2"


def test_a_topic_or_skill_workday_gives_without_a_wid_is_sent_under_its_own_id_type_never_a_wid_under_it() -> None:
    service = ScriptedService()
    service.answer("Get_Learning_Topics", page("Learning_Topic", [
        {"Learning_Topic_Reference": ref(Learning_Topic="TOPIC_SAFETY"),
         "Learning_Topic_Data": {"Learning_Topic_Name": "Safety"}}], 1, 1))  # fmt: skip
    service.answer(
        "Get_Skills",
        page("Skill", [{"Skill_Reference": ref(Skill_ID="SKILL_PY"), "Skill_Data": {"Name": "Python"}}], 1, 1),
    )
    service.answer("Manage_Learning_Course", {"Course_Reference": ref(WID="wid-9")})

    publisher_of_topics(service).publish(a_course(), None).unwrap()

    data = service.requests("Manage_Learning_Course")[0]["Manage_Learning_Course_Data"][
        "Put_Learning_Digital_Course_Request"
    ]["Learning_Digital_Course_Data"]
    assert data["Topic_Reference"] == [ref(Learning_Topic="TOPIC_SAFETY")]
    assert data["Skill_Reference"] == [ref(Skill_ID="SKILL_PY")]
