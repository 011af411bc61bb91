"""SoapLearningCatalog.course_detail over a scripted service: the course found by reference in the listing
(without images), then read by WID with its image; each field mapped, and what cannot be read said."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from adapters.workday.learning.catalog import SoapLearningCatalog
from domain.content_dedup import CatalogCourse
from domain.course_detail import CoverImageFacts, DetailField
from domain.course_wrapper import Lesson, LessonKind
from domain.learning_content import Named
from tests.unit.adapters.workday.scripted_service import NO_WAIT, ScriptedService, client_over, page, ref

IMAGE = b"\x89PNG\r\n\x1a\n" + b"\x00" * 120


def described(descriptor: str | None, **ids: str) -> dict[str, Any]:
    return ref(**ids) | {"Descriptor": descriptor}


def course_item(**data: Any) -> dict[str, Any]:
    lesson = {
        "Lesson_Order": Decimal(1),
        "Make_Lesson_Mandatory": True,
        "External_Content_Lesson_Data": {"External_Content_URL": "https://x.example/1",
                                         "Learning_Course_Lesson_Title": "Go"},
    }  # fmt: skip
    return {
        "Learning_Digital_Course_Reference": ref(WID="w1", Learning_Course_ID="ext-1"),
        "Learning_Digital_Course_Data": {"ID": "ext-1", "Course_Title": "Deals", "Course_Lesson_Data": [lesson]} | data,
    }


def detail_of(item: dict[str, Any]) -> tuple[Any, ScriptedService]:
    service = ScriptedService()
    listing = page("Learning_Digital_Course", [course_item()], 1, 1)
    service.answer("Get_Learning_Digital_Courses", listing, page("Learning_Digital_Course", [item], 1, 1))
    return SoapLearningCatalog(client_over(service), retry=NO_WAIT).course_detail("ext-1"), service


def test_a_course_is_read_in_full_by_its_wid_with_its_image() -> None:
    item = course_item(
        Inactive=True,
        Description="Closing complex deals.",
        Topic_Reference=[described("Sales", WID="t1", Learning_Topic="TOPIC_SALES")],
        Skill_Reference=[described(None, WID="s1", Skill_ID="SKILL_NEGOTIATION")],
        Language_Reference=[described("English (United Kingdom)", WID="l1", User_Language_ID="en_GB")],
        Time_Value_Reference=ref(Learning_Time_Unit_ID="minutes"),
        Total_Course_Duration=Decimal("90.75"),
        Requires_Enrollment=False,
        Course_Image_Data={"File_Name": "cover.png", "Content_Type": "image/png", "Image": IMAGE},
    )

    detail, service = detail_of(item)

    assert detail is not None
    assert detail.course == CatalogCourse("w1", "ext-1", "Deals", active=False)
    assert detail.description == "Closing complex deals."
    assert detail.lessons == (Lesson(1, "Go", LessonKind.EXTERNAL, True, url="https://x.example/1"),)
    assert detail.categories == (Named("Sales", "TOPIC_SALES", "t1"),)
    assert detail.skills == (Named("SKILL_NEGOTIATION", "SKILL_NEGOTIATION", "s1"),), "no descriptor: named by its ID"
    assert detail.languages == (Named("English (United Kingdom)", "en_GB", "l1"),)
    assert (detail.duration_minutes, detail.requires_enrollment) == (91, False)
    assert detail.cover_image == CoverImageFacts("cover.png", "image/png", len(IMAGE))
    assert detail.not_read == ()
    listing, by_wid = service.requests("Get_Learning_Digital_Courses")
    assert listing["Response_Group"] == {"Exclude_Course_Image_Data": True}
    assert by_wid["Request_References"] == {"Learning_Digital_Course_Reference": [ref(WID="w1")]}
    assert "Response_Group" not in by_wid, "the one course is read with its image"


def test_a_duration_in_hours_is_shown_in_minutes() -> None:
    detail, _ = detail_of(
        course_item(Time_Value_Reference=ref(Learning_Time_Unit_ID="hours"), Total_Course_Duration=Decimal("1.5"))
    )

    assert detail is not None
    assert detail.duration_minutes == 90


def test_a_duration_in_a_unit_the_connector_does_not_know_is_said_to_be_unread_not_guessed() -> None:
    detail, _ = detail_of(
        course_item(Time_Value_Reference=ref(Learning_Time_Unit_ID="days"), Total_Course_Duration=Decimal("2"))
    )

    assert detail is not None
    assert detail.duration_minutes is None
    reason = detail.reason_not_read(DetailField.DURATION)
    assert reason is not None
    assert "'days'" in reason


def test_an_image_given_as_text_is_measured_decoded_and_one_that_is_not_base64_is_said_to_be_unread() -> None:
    as_text = {"File_Name": "c.png", "Content_Type": "image/png", "Image": "iVBORw0K\nGgo="}
    garbled = {"File_Name": "c.png", "Content_Type": "image/png", "Image": "not base64!"}

    detail, _ = detail_of(course_item(Course_Image_Data=as_text))
    bad, _ = detail_of(course_item(Course_Image_Data=garbled))

    assert detail is not None
    assert detail.cover_image == CoverImageFacts("c.png", "image/png", 8)
    assert bad is not None
    assert bad.cover_image is None
    assert bad.reason_not_read(DetailField.COVER_IMAGE) is not None


def test_a_reference_no_course_has_is_not_shown_and_not_read_by_wid() -> None:
    service = ScriptedService()
    service.answer("Get_Learning_Digital_Courses", page("Learning_Digital_Course", [course_item()], 1, 1))

    assert SoapLearningCatalog(client_over(service), retry=NO_WAIT).course_detail("ext-2") is None
    assert len(service.requests("Get_Learning_Digital_Courses")) == 1
