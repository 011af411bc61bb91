from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from sandbox import SandboxServer
from tests.unit.sandbox.course_requests import (
    employee_id,
    external_lesson,
    fault_errors,
    get_request,
    ids,
    manage_course,
    media_lesson,
    ok,
    post,
    put_enrollment,
    ref,
)
from tests.unit.sandbox.learning_requests import NS, texts

ENROLLMENTS = "env:Body/wd:Get_Learning_Enrollments_Response"
ITEM = f"{ENROLLMENTS}/wd:Response_Data/wd:Learning_Enrollment"
URL = "https://provider.example.com/courses/c-1"


def _criteria(course_id: str | None = None, learner: str | None = None) -> str:
    parts = ("" if course_id is None else ref("Learning_Content_Reference", "Learning_Course_ID", course_id)) + (
        "" if learner is None else ref("Learner_Reference", "Employee_ID", learner)
    )
    return f"<bsvc:Request_Criteria>{parts}</bsvc:Request_Criteria>"


def test_launching_a_single_lesson_course_auto_creates_a_completed_enrollment(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    ok(sandbox, client, manage_course("C-1"))
    learner = employee_id(sandbox)
    enrollment = sandbox.enrollments.launch(learner, "C-1")
    assert enrollment.created_on_launch
    assert enrollment.completion is not None
    assert enrollment.status == "Completed"
    assert enrollment.completed_lessons == (Decimal(1),)
    root = ok(sandbox, client, get_request("Get_Learning_Enrollments", _criteria("C-1", learner)))
    assert texts(root, f"{ITEM}/wd:Learning_Enrollment_Data/wd:Created_On_Launch") == ["1"]
    assert texts(root, f"{ITEM}/wd:Learning_Enrollment_Data/wd:Learning_Enrollment_Completion_Date") == [
        enrollment.completion.isoformat(timespec="milliseconds")
    ]
    assert ids(root.find(f"{ITEM}/wd:Learning_Enrollment_Reference", NS)) == {
        "WID": enrollment.wid,
        "Learning_Enrollment_ID": enrollment.id,
    }
    # A second launch reuses the enrollment.
    assert sandbox.enrollments.launch(learner, "C-1").wid == enrollment.wid
    assert len(sandbox.enrollments.enrollments()) == 1


def test_the_media_blocker_keeps_a_launched_course_in_progress(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    lessons = external_lesson(1, URL, "C") + media_lesson(2, sandbox.config.media_file_wid)
    ok(sandbox, client, manage_course("C-1", lessons=lessons))
    enrollment = sandbox.enrollments.launch(employee_id(sandbox), "C-1")
    assert enrollment.created_on_launch
    assert enrollment.completion is None
    assert enrollment.status == "In Progress"
    assert enrollment.completed_lessons == (Decimal(1),)
    root = ok(sandbox, client, get_request("Get_Learning_Enrollments"))
    assert texts(root, f"{ITEM}/wd:Learning_Enrollment_Data/wd:Learning_Enrollment_Completion_Date") == []
    assert texts(root, f"{ITEM}/wd:Learning_Enrollment_Data/wd:Created_On_Launch") == ["1"]


def test_an_optional_mobile_lesson_does_not_hold_the_course_open(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    lessons = external_lesson(1, URL, "C") + external_lesson(2, URL + "/m", "C (mobile)", mandatory=False)
    ok(sandbox, client, manage_course("C-1", lessons=lessons))
    assert sandbox.enrollments.launch(employee_id(sandbox), "C-1").status == "Completed"


def test_launch_refuses_an_unknown_learner_or_course(catalog_sandbox: SandboxServer, client: httpx.Client) -> None:
    ok(catalog_sandbox, client, manage_course("C-1"))
    with pytest.raises(LookupError):
        catalog_sandbox.enrollments.launch("no-such-worker", "C-1")
    with pytest.raises(LookupError):
        catalog_sandbox.enrollments.launch(employee_id(catalog_sandbox), "C-404")


def test_a_completion_push_updates_the_auto_created_enrollment_in_place(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    ok(sandbox, client, manage_course("C-1"))
    learner = employee_id(sandbox)
    launched = sandbox.enrollments.launch(learner, "C-1")
    body = put_enrollment(
        "C-1",
        learner,
        reference=("WID", launched.wid),
        completed_at="2025-01-15T14:45:30.000Z",
        grade="PASS",
        score="100",
    )
    root = ok(sandbox, client, body)
    reference = root.find("env:Body/wd:Put_Learning_Enrollment_Response/wd:Learning_Enrollment_Reference", NS)
    assert ids(reference) == {"WID": launched.wid, "Learning_Enrollment_ID": launched.id}
    [enrollment] = sandbox.enrollments.enrollments()
    assert enrollment.completion == datetime(2025, 1, 15, 14, 45, 30, tzinfo=UTC)
    assert (enrollment.grade_id, enrollment.score, enrollment.puts) == ("PASS", Decimal(100), 2)
    assert enrollment.created_on_launch  # still Workday's own
    # By Learning_Enrollment_ID too, keeping what the request leaves out.
    ok(sandbox, client, put_enrollment("C-1", learner, reference=("Learning_Enrollment_ID", launched.id), score="90"))
    [again] = sandbox.enrollments.enrollments()
    assert (again.grade_id, again.score, again.completion) == ("PASS", Decimal(90), enrollment.completion)


def test_a_put_without_reference_creates_and_a_rescind_withdraws(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    ok(sandbox, client, manage_course("C-1"))
    learner = employee_id(sandbox)
    root = ok(sandbox, client, put_enrollment("C-1", learner, completed_at="2025-01-15T14:45:30", grade="FAIL"))
    created = ids(root.find("env:Body/wd:Put_Learning_Enrollment_Response/wd:Learning_Enrollment_Reference", NS))
    assert created["Learning_Enrollment_ID"].startswith("LEARNING_ENROLLMENT-6-")
    enrollment = sandbox.enrollments.enrollment(created["Learning_Enrollment_ID"])
    assert enrollment is not None
    assert not enrollment.created_on_launch
    assert enrollment.registered_date == sandbox.config.today
    assert texts(
        ok(sandbox, client, get_request("Get_Learning_Enrollments")),
        f"{ENROLLMENTS}/wd:Response_Results/wd:Total_Results",
    ) == ["1"]
    ok(sandbox, client, put_enrollment("C-1", learner, reference=("WID", created["WID"]), rescind=True))
    rescinded = sandbox.enrollments.enrollment(created["Learning_Enrollment_ID"])
    assert rescinded is not None
    assert rescinded.status == "Rescinded"
    assert texts(
        ok(sandbox, client, get_request("Get_Learning_Enrollments")),
        f"{ENROLLMENTS}/wd:Response_Results/wd:Total_Results",
    ) == ["0"]
    # Withdrawn: a reference to it is unknown, unless asked to skip those.
    by_reference = "<bsvc:Request_References>{}</bsvc:Request_References>"
    named = by_reference.format(ref("Learning_Enrollment_Reference", "WID", created["WID"]))
    errors = fault_errors(post(sandbox, client, get_request("Get_Learning_Enrollments", named)))
    assert errors[0][0] == f"Invalid ID value. '{created['WID']}' is not a valid ID value for type = 'WID'"
    skipping = named.replace(
        "<bsvc:Request_References>", '<bsvc:Request_References bsvc:Skip_Non_Existing_Instances="true">'
    )
    root = ok(sandbox, client, get_request("Get_Learning_Enrollments", skipping))
    assert texts(root, f"{ENROLLMENTS}/wd:Response_Results/wd:Total_Results") == ["0"]
    # A later launch starts a new enrollment.
    assert sandbox.enrollments.launch(learner, "C-1").wid != created["WID"]


def test_an_enrollment_naming_unknown_things_is_refused(catalog_sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox = catalog_sandbox
    ok(sandbox, client, manage_course("C-1"))
    errors = fault_errors(post(sandbox, client, put_enrollment("C-404", "nobody", grade="MERIT")))
    assert [message for message, _ in errors] == [
        "Invalid ID value. 'nobody' is not a valid ID value for type = 'Employee_ID'",
        "Invalid ID value. 'C-404' is not a valid ID value for type = 'Learning_Course_ID'",
        "Invalid ID value. 'MERIT' is not a valid ID value for type = 'Learning_Grade_ID'",
    ]
    assert sandbox.enrollments.enrollments() == []


def test_get_enrollments_filters_by_criteria_and_pages(catalog_sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox = catalog_sandbox
    ok(sandbox, client, manage_course("C-1"))
    ok(sandbox, client, manage_course("C-2", "Second"))
    learners = [employee_id(sandbox, i) for i in range(5)]
    for learner in learners:
        sandbox.enrollments.launch(learner, "C-1")
    sandbox.enrollments.launch(learners[0], "C-2")
    root = ok(sandbox, client, get_request("Get_Learning_Enrollments", _criteria("C-1"), page=2, count=2))
    assert texts(root, f"{ENROLLMENTS}/wd:Response_Results/wd:Total_Results") == ["5"]
    assert texts(root, f"{ENROLLMENTS}/wd:Response_Results/wd:Total_Pages") == ["3"]
    employee_ids = f"{ITEM}/wd:Learning_Enrollment_Data/wd:Learner_Reference/wd:ID[@wd:type='Employee_ID']"
    assert texts(root, employee_ids) == learners[2:4]
    root = ok(sandbox, client, get_request("Get_Learning_Enrollments", _criteria(learner=learners[0])))
    courses = f"{ITEM}/wd:Learning_Enrollment_Data/wd:Learning_Content_Reference/wd:ID[@wd:type='Learning_Course_ID']"
    assert texts(root, courses) == ["C-1", "C-2"]
    errors = fault_errors(post(sandbox, client, get_request("Get_Learning_Enrollments", _criteria("C-9"))))
    assert (
        errors[0][1]
        == "/bsvc:Get_Learning_Enrollments_Request[1]/bsvc:Request_Criteria[1]/bsvc:Learning_Content_Reference[1]"
    )


def test_an_enrollment_follows_its_course_when_it_is_rekeyed(
    catalog_sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox = catalog_sandbox
    ok(sandbox, client, manage_course("OLD"))
    sandbox.enrollments.launch(employee_id(sandbox), "OLD")
    ok(sandbox, client, manage_course("NEW", reference=("Learning_Course_ID", "OLD")))
    root = ok(sandbox, client, get_request("Get_Learning_Enrollments", _criteria("NEW")))
    courses = f"{ITEM}/wd:Learning_Enrollment_Data/wd:Learning_Content_Reference/wd:ID[@wd:type='Learning_Course_ID']"
    assert texts(root, courses) == ["NEW"]
