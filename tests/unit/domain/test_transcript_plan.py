from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.errors import InvalidValue
from domain.transcripts import ImportedRecord, Settled, describe_course, plan_transcripts
from tests.transcript_factories import a_completion

TORONTO = ZoneInfo("America/Toronto")
NOTHING = Settled({}, {})


def settled_after(plan_records: tuple[ImportedRecord, ...], contents: dict[str, str] | None = None) -> Settled:
    return Settled(contents or {}, {r.id: r.payload_hash for r in plan_records})


def test_one_imported_content_per_course_and_one_record_per_passed_completion() -> None:
    first, second = a_completion(course_id="ep_1"), a_completion(course_id="ep_1")
    plan = plan_transcripts([first, second], NOTHING, TORONTO)
    assert [c.id for c in plan.contents] == ["ep_1"]
    assert [r.id for r in plan.records] == [first.completion_id, second.completion_id]
    record = plan.records[0]
    assert (record.learner_employee_id, record.content_id, record.grade, record.inactive) == (
        first.learner_employee_id,
        "ep_1",
        "PASS",
        False,
    )


def test_the_description_holds_the_field_of_study_and_credits_on_one_line() -> None:
    completion = a_completion(
        description="How revenue\nis recognised.", field_of_study="Accounting", credits=Decimal("1.50")
    )
    assert describe_course(completion) == "How revenue is recognised. Field of study: Accounting. Credits: 1.5."


def test_a_failed_completion_is_never_sent() -> None:
    plan = plan_transcripts([a_completion(passed=False)], NOTHING, TORONTO)
    assert plan.is_empty
    assert plan.not_sent == 1


def test_a_completion_without_an_employee_id_is_held_back_with_the_reason() -> None:
    completion = a_completion(learner_employee_id=None)
    plan = plan_transcripts([completion], NOTHING, TORONTO)
    assert plan.is_empty
    assert [(h.completion_id, "Employee ID" in h.reason) for h in plan.held_back] == [(completion.completion_id, True)]


def test_the_completion_date_is_the_date_in_the_tenants_zone() -> None:
    late_evening_in_toronto = datetime(2026, 11, 21, 3, 30, tzinfo=UTC)
    plan = plan_transcripts([a_completion(completed_at=late_evening_in_toronto)], NOTHING, TORONTO)
    assert plan.records[0].completion_date == date(2026, 11, 20)


def test_what_was_settled_with_the_same_payload_is_not_sent_again() -> None:
    completion = a_completion()
    first = plan_transcripts([completion], NOTHING, TORONTO)
    settled = Settled({c.id: c.payload_hash for c in first.contents}, {r.id: r.payload_hash for r in first.records})
    assert plan_transcripts([completion], settled, TORONTO).is_empty


def test_a_changed_course_title_sends_the_content_again_without_its_records() -> None:
    completion = a_completion()
    first = plan_transcripts([completion], NOTHING, TORONTO)
    settled = Settled({c.id: c.payload_hash for c in first.contents}, {r.id: r.payload_hash for r in first.records})
    renamed = replace(completion, title="A better title")
    plan = plan_transcripts([renamed], settled, TORONTO)
    assert [c.title for c in plan.contents] == ["A better title"]
    assert not plan.records


def test_a_revoked_completion_that_was_delivered_is_sent_again_inactive() -> None:
    completion = a_completion()
    first = plan_transcripts([completion], NOTHING, TORONTO)
    settled = Settled({c.id: c.payload_hash for c in first.contents}, {r.id: r.payload_hash for r in first.records})
    plan = plan_transcripts([replace(completion, revoked=True)], settled, TORONTO)
    assert [(r.id, r.inactive) for r in plan.records] == [(completion.completion_id, True)]


def test_a_revoked_completion_never_delivered_is_not_sent() -> None:
    assert plan_transcripts([a_completion(revoked=True)], NOTHING, TORONTO).is_empty


def test_the_latest_version_of_a_completion_in_the_feed_wins() -> None:
    completion = a_completion()
    plan = plan_transcripts([completion, replace(completion, passed=False)], NOTHING, TORONTO)
    assert plan.is_empty


def test_spreadsheet_keys_number_each_sheet_from_one() -> None:
    plan = plan_transcripts([a_completion(course_id=f"ep_{n}") for n in range(4)], NOTHING, TORONTO)
    assert [c.spreadsheet_key for c in plan.contents] == [1, 2, 3, 4]
    assert [r.spreadsheet_key for r in plan.records] == [1, 2, 3, 4]


def test_a_completion_time_without_a_zone_cannot_exist() -> None:
    with pytest.raises(InvalidValue, match="completed_at"):
        a_completion(completed_at=datetime(2026, 11, 20, 12, 0))


def test_a_date_offset_in_the_providers_zone_does_not_leak_into_the_tenants() -> None:
    in_tokyo = datetime(2026, 11, 21, 8, 0, tzinfo=timezone(timedelta(hours=9)))
    plan = plan_transcripts([a_completion(completed_at=in_tokyo)], NOTHING, TORONTO)
    assert plan.records[0].completion_date == date(2026, 11, 20)


def test_records_carry_the_tenants_grade_and_a_changed_grade_sends_them_again() -> None:
    completion = a_completion()
    first = plan_transcripts([completion], NOTHING, TORONTO)

    graded = plan_transcripts([completion], settled_after(first.records), TORONTO, grade="PASSED")

    assert [r.grade for r in first.records] == ["PASS"]
    assert [r.grade for r in graded.records] == ["PASSED"], "the grade is part of what Workday holds"
