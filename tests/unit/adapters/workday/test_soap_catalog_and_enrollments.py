"""SoapLearningCatalog and WorkdayEnrollmentRegistry over a scripted service."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from returns.result import Failure, Success

from adapters.workday.learning.catalog import SoapLearningCatalog
from adapters.workday.learning.enrollment_registry import WorkdayEnrollmentRegistry
from adapters.workday.learning.enrollment_requests import Grades
from domain.content_dedup import CatalogCourse
from domain.course_wrapper import Lesson, LessonKind
from domain.learning_completions import CompletionResult, Enrollment, LearningCompletion
from tests.unit.adapters.workday.scripted_service import (
    NO_WAIT,
    ScriptedService,
    client_over,
    page,
    ref,
    validation_fault,
)


def digital_course(wid: str, course_id: str, title: str) -> dict[str, object]:
    lessons = [
        {"Lesson_Order": Decimal(2), "Make_Lesson_Mandatory": True,
         "Media_Lesson_Data": {"Media_Reference": ref(WID="m1"), "Learning_Course_Lesson_Title": "Blocker"}},
        {"Lesson_Order": Decimal(1), "Make_Lesson_Mandatory": True,
         "External_Content_Lesson_Data": {"External_Content_URL": "https://x.example/1",
                                          "Learning_Course_Lesson_Title": title}},
    ]  # fmt: skip
    return {
        "Learning_Digital_Course_Reference": ref(WID=wid, Learning_Course_ID=course_id),
        "Learning_Digital_Course_Data": {"ID": course_id, "Course_Title": title, "Course_Lesson_Data": lessons},
    }


def catalog(service: ScriptedService) -> SoapLearningCatalog:
    return SoapLearningCatalog(client_over(service), retry=NO_WAIT)


def test_a_course_is_found_by_reference_and_by_title_across_pages() -> None:
    first, second = digital_course("w1", "ext-1", "Fire  Safety"), digital_course("w2", "ext-2", "Tax")
    pages = (page("Learning_Digital_Course", [first], 1, 2), page("Learning_Digital_Course", [second], 2, 2))
    service = ScriptedService()
    service.answer("Get_Learning_Digital_Courses", *pages)

    assert catalog(service).course_by_reference("ext-2") == CatalogCourse("w2", "ext-2", "Tax")
    service = ScriptedService()
    service.answer("Get_Learning_Digital_Courses", *pages)
    assert catalog(service).courses_by_title("fire safety") == [CatalogCourse("w1", "ext-1", "Fire  Safety")]
    assert service.requests("Get_Learning_Digital_Courses")[0]["Response_Group"] == {"Exclude_Course_Image_Data": True}


def test_lessons_are_read_by_wid_in_lesson_order() -> None:
    service = ScriptedService()
    service.answer(
        "Get_Learning_Digital_Courses", page("Learning_Digital_Course", [digital_course("w1", "e", "T")], 1, 1)
    )

    lessons = catalog(service).lessons(CatalogCourse("w1", "e", "T"))

    assert lessons == [
        Lesson(1, "T", LessonKind.EXTERNAL, True, url="https://x.example/1"),
        Lesson(2, "Blocker", LessonKind.MEDIA, True, media_wid="m1"),
    ]
    request = service.requests("Get_Learning_Digital_Courses")[0]
    assert request["Request_References"] == {"Learning_Digital_Course_Reference": [ref(WID="w1")]}


def enrollment_item(wid: str, learner: str, course: str, **data: object) -> dict[str, object]:
    return {
        "Learning_Enrollment_Reference": ref(WID=wid),
        "Learning_Enrollment_Data": {
            "Learner_Reference": ref(Employee_ID=learner),
            "Learning_Content_Reference": ref(WID=f"wid-{course}", Learning_Course_ID=course),
            **data,
        },
    }


COMPLETED = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)


def test_enrollments_are_asked_by_course_and_learner_and_rescinded_ones_are_left_out() -> None:
    service = ScriptedService()
    items = [
        enrollment_item("e2", "21001", "ext-1", Created_On_Launch=True),
        enrollment_item("e1", "21001", "ext-1", Learning_Enrollment_Completion_Date=COMPLETED,
                        Learning_Grade_Reference=ref(Learning_Grade_ID="FAIL"), Overall_Course_Score=Decimal("40")),
        enrollment_item("e3", "21001", "ext-1", Rescind_Enrollment=True),
        enrollment_item("e4", "21002", "ext-1"),
    ]  # fmt: skip
    service.answer("Get_Learning_Enrollments", page("Learning_Enrollment", items, 1, 1))

    found = WorkdayEnrollmentRegistry(client_over(service), retry=NO_WAIT).enrollments("21001", "wid-ext-1")

    assert found == [
        Enrollment("e1", "21001", "wid-ext-1", "ext-1", COMPLETED, CompletionResult.FAIL, Decimal("40")),
        Enrollment("e2", "21001", "wid-ext-1", "ext-1", launched_only=True),
    ]
    criteria = service.requests("Get_Learning_Enrollments")[0]["Request_Criteria"]
    assert criteria == {
        "Learning_Content_Reference": ref(WID="wid-ext-1"),
        "Learner_Reference": ref(Employee_ID="21001"),
    }


def test_an_enrollment_whose_course_has_no_reference_id_is_still_listed_by_its_wid() -> None:
    service = ScriptedService()
    item = enrollment_item("e1", "21001", "ext-1", Learning_Enrollment_Completion_Date=COMPLETED)
    item["Learning_Enrollment_Data"]["Learning_Content_Reference"] = ref(WID="wid-ext-1")  # type: ignore[index]
    service.answer("Get_Learning_Enrollments", page("Learning_Enrollment", [item], 1, 1))

    found = WorkdayEnrollmentRegistry(client_over(service), retry=NO_WAIT).enrollments(None, "wid-ext-1")

    assert found == [Enrollment("e1", "21001", "wid-ext-1", None, COMPLETED)]


def test_a_completion_updates_the_existing_enrollment_in_place() -> None:
    service = ScriptedService()
    service.answer("Put_Learning_Enrollment", {"Learning_Enrollment_Reference": ref(WID="e2")})
    existing = Enrollment("e2", "21001", "wid-ext-1", "ext-1", launched_only=True)
    completion = LearningCompletion("21001", "ext-1", CompletionResult.PASS, COMPLETED, score=Decimal("88.5"))

    result = WorkdayEnrollmentRegistry(client_over(service), retry=NO_WAIT).complete(completion, "wid-ext-1", existing)

    assert result == Success(
        Enrollment("e2", "21001", "wid-ext-1", "ext-1", COMPLETED, CompletionResult.PASS, Decimal("88.5"), True)
    )
    request = service.requests("Put_Learning_Enrollment")[0]
    assert request["Learning_Enrollment_Reference"] == ref(WID="e2")
    data = request["Learning_Enrollment_Data"]
    assert data["Learning_Content_Reference"] == ref(WID="wid-ext-1")
    assert data["Learning_Enrollment_Completion_Date"] == COMPLETED
    assert data["Learning_Grade_Reference"] == ref(Learning_Grade_ID="PASS")
    assert data["Overall_Course_Score"] == Decimal("88.5")


def test_a_refused_completion_is_a_failure_naming_the_xpath() -> None:
    service = ScriptedService()
    service.answer("Put_Learning_Enrollment", validation_fault("Invalid ID value. 'nobody'", "/wd:Learner_Reference"))
    completion = LearningCompletion("nobody", "ext-1", CompletionResult.PASS, COMPLETED)

    result = WorkdayEnrollmentRegistry(client_over(service), retry=NO_WAIT).complete(completion, "wid-ext-1", None)

    assert isinstance(result, Failure)
    assert "'nobody'" in str(result.failure())
    assert "/wd:Learner_Reference" in str(result.failure())


def test_rescinding_sends_rescind_enrollment_on_the_enrollments_wid() -> None:
    service = ScriptedService()
    service.answer("Put_Learning_Enrollment", {"Learning_Enrollment_Reference": ref(WID="e2")})
    enrollment = Enrollment("e2", "21001", "wid-ext-1", "ext-1")

    assert WorkdayEnrollmentRegistry(client_over(service)).rescind(enrollment) == Success(enrollment)
    request = service.requests("Put_Learning_Enrollment")[0]
    assert request["Learning_Enrollment_Data"]["Rescind_Enrollment"] is True
    assert request["Learning_Enrollment_Reference"] == ref(WID="e2")


def test_get_of_a_wid_workday_refuses_is_none() -> None:
    service = ScriptedService()
    service.answer("Get_Learning_Enrollments", validation_fault("Invalid ID value. 'x'", "/wd:Request_References"))

    assert WorkdayEnrollmentRegistry(client_over(service)).get("x") is None


def test_a_tenants_own_grade_ids_are_sent_and_read_back_as_results() -> None:
    service = ScriptedService()
    service.answer("Put_Learning_Enrollment", {"Learning_Enrollment_Reference": ref(WID="e1")})
    graded = [enrollment_item("e1", "21001", "ext-1", Learning_Enrollment_Completion_Date=COMPLETED,
                              Learning_Grade_Reference=ref(WID="g1", Learning_Grade_ID="NOT_YET"))]  # fmt: skip
    service.answer("Get_Learning_Enrollments", page("Learning_Enrollment", graded, 1, 1))
    registry = WorkdayEnrollmentRegistry(client_over(service), grades=Grades("MET", "NOT_YET"), retry=NO_WAIT)
    completion = LearningCompletion("21001", "ext-1", CompletionResult.PASS, COMPLETED)

    registry.complete(completion, "wid-ext-1", None).unwrap()
    (listed,) = registry.enrollments("21001", "wid-ext-1")

    sent = service.requests("Put_Learning_Enrollment")[0]["Learning_Enrollment_Data"]
    assert sent["Learning_Grade_Reference"] == ref(Learning_Grade_ID="MET")
    assert listed.result is CompletionResult.FAIL


def test_a_learners_enrollment_that_names_the_learner_by_other_ids_is_kept_in_a_listing_for_that_learner() -> None:
    service = ScriptedService()
    item = enrollment_item("e1", "21001", "ext-1", Learning_Enrollment_Completion_Date=COMPLETED)
    item["Learning_Enrollment_Data"]["Learner_Reference"] = ref(WID="w-learner")  # type: ignore[index]
    service.answer(
        "Get_Learning_Enrollments", page("Learning_Enrollment", [item], 1, 1), page("Learning_Enrollment", [item], 1, 1)
    )
    registry = WorkdayEnrollmentRegistry(client_over(service), retry=NO_WAIT)

    assert [e.workday_id for e in registry.enrollments("21001", "wid-ext-1")] == ["e1"]
    assert registry.enrollments(None, "wid-ext-1") == [], "without the learner asked for, it cannot be attributed"
