"""The unified LMS API end to end (seed 001, section 8 "Testing & Validation"): the real FastAPI app over the real
container and adapters, talking to the sandbox's Workday Learning service over loopback HTTP, with the seed's own
section 8.2 payloads. The completion outbox is delivered by the workers; each test drains it itself."""

from __future__ import annotations

import base64
import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.http.app import create_app
from app.http.wiring import build_dependencies
from app.runtime.delivery import Drain
from app.sandbox_settings import sandbox_settings
from app.settings import LmsSettings, Settings, TenantSettings
from sandbox.config import SandboxConfig
from sandbox.images.covers import NOT_AN_IMAGE, images
from sandbox.population import worker_at
from sandbox.server import SandboxServer
from sandbox.workday.learning.courses import SEEDED_SKILLS, SEEDED_TOPICS, CourseStore
from sandbox.workday.learning.enrollments import EnrollmentStore

# No SOAP rate limit in the sandbox, so the connector uses the whole budget of 1000/s and never waits.
POPULATION = SandboxConfig(workers=20, seed=3, soap_rate_limit=None, completions=0)
LEARNER = worker_at(POPULATION, 0).employee_id
SEED_COVER = "adv-sales-001.jpg"

# Section 8.2, "Content Upsert (PUT /unified/lms/content)"; cover_url is pointed at the sandbox's CDN per test.
SEED_CONTENT: dict[str, Any] = {
    "title": "Advanced Sales Techniques",
    "external_reference": "ADV-SALES-001",
    "description": "A comprehensive course covering modern B2B sales strategies.",
    "languages": [{"value": "en_GB"}, {"value": "fr_FR"}],
    "content_url": "https://provider.example.com/courses/adv-sales-001",
    "cover_url": "https://cdn.example.com/images/adv-sales-001.jpg",
    "active": True,
    "duration": "PT1H30M45S",
    "skills": [
        {
            "id": "skill-001",
            "name": "Sales Techniques",
            "hierarchy": {"value": "primary"},
            "language": {"value": "en_GB"},
        },
        {"name": "Customer Engagement", "hierarchy": {"value": "secondary"}},
    ],
    "order": 1,
    "categories": [{"name": "Sales"}, {"id": "cat-technology", "name": "Technology"}],
}

# Section 8.2, "Completion Push (POST /unified/lms/users/{id}/completions)".
SEED_COMPLETION: dict[str, Any] = {
    "learning_object_external_reference": "ADV-SALES-001",
    "result": {"value": "Pass"},
    "completed_at": "2025-01-15T14:45:30.000Z",
    "time_spent": "PT45M",
    "score": {"value": 100, "raw_value": "A+"},
}

ACCOUNTS = ("sandbox", "other", "mobile", "blocker")


@dataclass
class Api:
    """The app over one fresh sandbox, with a key per account (``sandbox`` is the seed's account; ``other`` a
    copy of it; ``mobile`` has "Create Duplicate Content for Mobile"; ``blocker`` the media file blocker)."""

    server: SandboxServer
    client: TestClient
    worker: Drain
    keys: dict[str, str]

    @property
    def learning(self) -> CourseStore:
        return self.server.learning

    @property
    def enrollments(self) -> EnrollmentStore:
        return self.server.enrollments

    def headers(self, account: str = "sandbox") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[account]}"}

    def content(self, **changes: Any) -> dict[str, Any]:
        """The seed's content payload, its cover on the sandbox's CDN, with ``changes``."""
        payload = copy.deepcopy(SEED_CONTENT)
        payload["cover_url"] = self.server.image_url(SEED_COVER)
        payload.update(changes)
        return payload

    def put(self, payload: dict[str, Any], account: str = "sandbox") -> Any:
        return self.client.put("/unified/lms/content", json=payload, headers=self.headers(account))


def settings_for(server: SandboxServer, tmp_path: Path) -> Settings:
    base = sandbox_settings(server.base_url, server.config, f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    tenant = base.tenants["sandbox"]
    blocker = LmsSettings(media_file_wid=server.learning.media_file_wid)
    tenants: dict[str, TenantSettings] = {
        "sandbox": tenant,
        "other": tenant.model_copy(),
        "mobile": tenant.model_copy(update={"lms": LmsSettings(create_mobile_lesson=True)}),
        "blocker": tenant.model_copy(update={"lms": blocker}),
    }
    return base.model_copy(update={"tenants": tenants})


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    with SandboxServer(POPULATION) as server:
        deps = build_dependencies(settings_for(server, tmp_path))
        now = datetime.now(UTC)
        keys = {account: deps.keys.create([account], now)[1] for account in ACCOUNTS}
        app = create_app(deps)
        with TestClient(app) as client:
            worker = app.state.drain
            assert isinstance(worker, Drain)
            yield Api(server, client, worker, keys)


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


# 1. Content creation


def test_content_with_every_field_becomes_a_wrapped_course_in_workday(api: Api) -> None:
    body = _created(api.put(api.content()))

    assert body["id"] == body["external_reference"] == "ADV-SALES-001"
    [course] = api.learning.courses()
    assert body["remote_id"] == course.wid
    assert course.course_id == "ADV-SALES-001"
    assert course.title == "Advanced Sales Techniques"
    assert course.description == "A comprehensive course covering modern B2B sales strategies."
    assert not course.inactive
    # The wrapper's defaults (sections 3.1 and 5.2).
    [lesson] = course.lessons
    assert (lesson.kind, lesson.order, lesson.mandatory) == ("external", Decimal(1), True)
    assert lesson.url == "https://provider.example.com/courses/adv-sales-001"
    assert lesson.title == "Advanced Sales Techniques"
    assert course.registrable_status == "Open"
    assert course.requires_enrollment is True
    # Topics, skills and languages (in the payload's order), and the duration in minutes, rounded up.
    assert course.topic_ids == ("TOPIC_SALES", "TOPIC_TECHNOLOGY")
    assert course.skill_ids == ("SKILL_SALES_TECHNIQUES", "SKILL_CUSTOMER_ENGAGEMENT")
    assert course.language_ids == ("en_GB", "fr_FR")
    assert (course.time_unit, course.total_duration) == ("minutes", Decimal(91))
    # The cover went base64-encoded in the SOAP request; decoded, it is the served image byte for byte.
    assert course.image is not None
    served = httpx.get(api.server.image_url(SEED_COVER))
    assert course.image.data == served.content == images()[SEED_COVER][0]
    assert course.image.content_type == "image/jpeg"
    assert course.image.file_name == SEED_COVER


def test_html_in_the_description_is_stored_as_plain_text(api: Api) -> None:
    description = "<p>A <b>comprehensive</b> course &amp; more:</p><ul><li>B2B</li><li>sales</li></ul>"
    _created(api.put(api.content(description=description)))

    course = api.learning.course("ADV-SALES-001")
    assert course is not None
    assert course.description == "A comprehensive course & more: B2B sales"


# 2. Content update


def test_a_changed_title_updates_the_one_course(api: Api) -> None:
    first = _created(api.put(api.content()))

    second = _created(api.put(api.content(title="Advanced Sales Techniques (2025 edition)")))

    assert second == first
    [course] = api.learning.courses()
    assert course.title == "Advanced Sales Techniques (2025 edition)"
    assert api.learning.manage_counts() == {"ADV-SALES-001": 2}


def test_a_new_reference_with_a_known_title_rekeys_that_course(api: Api) -> None:
    first = _created(api.put(api.content()))

    rekeyed = _created(api.put(api.content(external_reference="ADV-SALES-002")))

    assert rekeyed["remote_id"] == first["remote_id"]
    assert rekeyed["external_reference"] == rekeyed["id"] == "ADV-SALES-002"
    [course] = api.learning.courses()
    assert course.course_id == "ADV-SALES-002"
    assert api.learning.course("ADV-SALES-001") is None
    assert api.learning.manage_counts() == {"ADV-SALES-002": 2}


def test_title_of_one_course_with_the_reference_of_another_is_a_conflict_and_changes_nothing(api: Api) -> None:
    course_a = _created(api.put(api.content()))
    course_b = _created(
        api.put(api.content(title="Tax Basics", external_reference="TAX-101", categories=[{"name": "Tax"}]))
    )
    before = api.learning.courses()

    response = api.put(api.content(external_reference="TAX-101"))

    assert response.status_code == 409, response.text
    error = response.json()
    assert error["field"] == "external_reference"
    assert course_a["remote_id"] in error["message"]
    assert course_b["remote_id"] in error["message"]
    assert "ADV-SALES-001" in error["message"]
    assert "TAX-101" in error["message"]
    assert api.learning.courses() == before


# 3. Completion push


def test_a_completion_updates_the_enrollment_workday_made_on_launch_and_can_be_deleted(api: Api) -> None:
    _created(api.put(api.content()))
    launched = api.enrollments.launch(LEARNER, "ADV-SALES-001")
    assert launched.created_on_launch
    assert launched.status == "Completed"  # Workday's auto-completion of a one-lesson course

    accepted = api.client.post(f"/unified/lms/users/{LEARNER}/completions", json=SEED_COMPLETION, headers=api.headers())
    assert accepted.status_code == 202, accepted.text
    completion_id = accepted.json()["id"]
    assert accepted.json()["status"] == "pending"
    again = api.client.post(f"/unified/lms/users/{LEARNER}/completions", json=SEED_COMPLETION, headers=api.headers())
    assert (again.status_code, again.json()["id"]) == (202, completion_id)  # the same completion, once
    assert api.worker.drain() == 1

    shown = api.client.get(f"/unified/lms/users/{LEARNER}/completions/{completion_id}", headers=api.headers())
    assert shown.status_code == 200, shown.text
    assert shown.json()["status"] == "delivered"
    assert shown.json()["error"] is None
    [enrollment] = api.enrollments.enrollments_of(LEARNER, "ADV-SALES-001")
    assert enrollment.wid == launched.wid
    assert shown.json()["enrollment_id"] == enrollment.wid
    assert enrollment.puts == launched.puts + 1
    assert enrollment.completion == datetime(2025, 1, 15, 14, 45, 30, tzinfo=UTC)
    assert enrollment.grade_id == "PASS"
    assert enrollment.score == Decimal(100)

    deleted = api.client.delete(f"/unified/lms/users/{LEARNER}/completions/{completion_id}", headers=api.headers())
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["status"] == "deleted"
    [rescinded] = api.enrollments.enrollments_of(LEARNER, "ADV-SALES-001")
    assert rescinded.wid == launched.wid
    assert rescinded.status == "Rescinded"


def test_without_a_launch_a_completion_makes_one_enrollment_and_a_later_one_updates_it(api: Api) -> None:
    _created(api.put(api.content()))
    later = {
        **SEED_COMPLETION,
        "result": {"value": "Fail"},
        "completed_at": "2025-02-01T10:00:00Z",
        "score": {"value": 40},
    }
    for payload in (SEED_COMPLETION, later):
        accepted = api.client.post(f"/unified/lms/users/{LEARNER}/completions", json=payload, headers=api.headers())
        assert accepted.status_code == 202, accepted.text

    assert api.worker.drain() == 2

    [enrollment] = api.enrollments.enrollments_of(LEARNER, "ADV-SALES-001")
    assert not enrollment.created_on_launch
    assert enrollment.puts == 2
    assert (enrollment.completion, enrollment.grade_id, enrollment.score) == (
        datetime(2025, 2, 1, 10, 0, tzinfo=UTC),
        "FAIL",
        Decimal(40),
    )


def test_an_auto_completion_is_shown_and_deleted_by_its_enrollment_wid(api: Api) -> None:
    _created(api.put(api.content()))
    launched = api.enrollments.launch(LEARNER, "ADV-SALES-001")
    path = f"/unified/lms/users/{LEARNER}/completions/{launched.wid}"

    shown = api.client.get(path, headers=api.headers())
    assert shown.status_code == 200, shown.text
    assert (shown.json()["enrollment_id"], shown.json()["learning_object_external_reference"]) == (
        launched.wid,
        "ADV-SALES-001",
    )
    other_learner = worker_at(POPULATION, 1).employee_id
    assert api.client.get(path.replace(LEARNER, other_learner), headers=api.headers()).status_code == 404

    deleted = api.client.delete(path, headers=api.headers())

    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["status"] == "deleted"
    enrollment = api.enrollments.enrollment(launched.id)
    assert enrollment is not None
    assert enrollment.status == "Rescinded"
    assert api.client.get(path, headers=api.headers()).status_code == 404


def test_a_completion_for_an_unknown_course_fails_in_the_outbox(api: Api) -> None:
    payload = {**SEED_COMPLETION, "learning_object_external_reference": "NO-SUCH-COURSE"}
    accepted = api.client.post(f"/unified/lms/users/{LEARNER}/completions", json=payload, headers=api.headers())
    assert accepted.status_code == 202, accepted.text

    assert api.worker.drain() == 1

    shown = api.client.get(f"/unified/lms/users/{LEARNER}/completions/{accepted.json()['id']}", headers=api.headers())
    assert shown.json()["status"] == "failed"
    assert "NO-SUCH-COURSE" in shown.json()["error"]
    assert api.enrollments.enrollments() == []


def test_inactive_self_directed_content(api: Api) -> None:
    _created(api.put(api.content(active=False, requires_enrollment=False)))

    course = api.learning.course("ADV-SALES-001")
    assert course is not None
    assert (course.inactive, course.requires_enrollment) == (True, False)


def test_a_completion_for_an_unknown_learner_fails_in_the_outbox_for_good(api: Api) -> None:
    _created(api.put(api.content()))
    accepted = api.client.post("/unified/lms/users/999999/completions", json=SEED_COMPLETION, headers=api.headers())
    assert accepted.status_code == 202, accepted.text

    entry = api.worker.drain_once()

    assert entry is not None
    assert entry.error is not None
    assert "999999" in entry.error
    assert entry.status.value == "failed"


# 4. Mobile content


def test_mobile_url_adds_a_second_lesson_only_where_the_account_asks_for_it(api: Api) -> None:
    mobile_url = "https://m.provider.example.com/courses/adv-sales-001"
    _created(api.put(api.content(mobile_launch_content_url=mobile_url), account="mobile"))
    _created(
        api.put(
            api.content(title="Sales Basics", external_reference="SALES-BASICS", mobile_launch_content_url=mobile_url)
        )
    )

    with_mobile = api.learning.course("ADV-SALES-001")
    assert with_mobile is not None
    assert [(lesson.order, lesson.kind, lesson.url) for lesson in with_mobile.lessons] == [
        (Decimal(1), "external", "https://provider.example.com/courses/adv-sales-001"),
        (Decimal(2), "external", mobile_url),
    ]
    without = api.learning.course("SALES-BASICS")
    assert without is not None
    assert len(without.lessons) == 1


# 5. Category validation


def test_an_unknown_category_is_refused_with_a_suggestion_and_nothing_is_written(api: Api) -> None:
    response = api.put(api.content(categories=[{"name": "Salez"}]))

    assert response.status_code == 422, response.text
    error = response.json()
    assert error["field"] == "categories"
    assert error["message"] == "categories: 'Salez' is not a Workday category (did you mean 'Sales'?)"
    assert api.learning.manage_calls == 0
    assert api.learning.courses() == []


# 6. Cover image handling


@pytest.mark.parametrize(("image", "reason"), [(NOT_AN_IMAGE, "not an image"), ("missing.jpg", "HTTP 404")])
def test_a_cover_that_is_not_a_served_image_fails_the_upsert_and_nothing_is_written(
    api: Api, image: str, reason: str
) -> None:
    url = api.server.image_url(image)
    response = api.put(api.content(cover_url=url))

    assert response.status_code == 422, response.text
    error = response.json()
    assert error["field"] == "cover_url"
    assert error["message"].startswith(f"cover image {url}: {reason}")
    assert api.learning.manage_calls == 0


def test_a_bad_cover_on_an_update_leaves_the_course_as_it_was(api: Api) -> None:
    _created(api.put(api.content()))
    before = api.learning.courses()

    response = api.put(api.content(title="Renamed", cover_url=api.server.image_url(NOT_AN_IMAGE)))

    assert response.status_code == 422, response.text
    assert api.learning.courses() == before


def test_a_png_cover_is_stored_as_served(api: Api) -> None:
    _created(api.put(api.content(cover_url=api.server.image_url("cover.png"))))

    course = api.learning.course("ADV-SALES-001")
    assert course is not None
    assert course.image is not None
    assert (course.image.content_type, course.image.data) == ("image/png", images()["cover.png"][0])


# The media file completion blocker


def test_with_the_media_blocker_a_launch_leaves_the_course_in_progress(api: Api) -> None:
    _created(api.put(api.content(), account="blocker"))

    course = api.learning.course("ADV-SALES-001")
    assert course is not None
    assert [(lesson.kind, lesson.mandatory) for lesson in course.lessons] == [("external", True), ("media", True)]
    assert course.lessons[1].media_wid == api.server.config.media_file_wid
    launched = api.enrollments.launch(LEARNER, "ADV-SALES-001")
    assert launched.status == "In Progress"
    assert launched.completion is None

    # The provider's completion is what completes it, on that same enrollment.
    accepted = api.client.post(
        f"/unified/lms/users/{LEARNER}/completions", json=SEED_COMPLETION, headers=api.headers("blocker")
    )
    assert accepted.status_code == 202, accepted.text
    assert api.worker.drain() == 1
    [enrollment] = api.enrollments.enrollments_of(LEARNER, "ADV-SALES-001")
    assert enrollment.wid == launched.wid
    assert enrollment.status == "Completed"


# Categories


def test_categories_list_the_tenants_topics_page_by_page(api: Api) -> None:
    names: list[str] = []
    ids: list[str] = []
    pages = 0
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"page_size": 4}
        if cursor is not None:
            params["next"] = cursor
        page = api.client.get("/unified/lms/categories", params=params, headers=api.headers())
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["data"]) <= 4
        names += [category["name"] for category in body["data"]]
        ids += [category["id"] for category in body["data"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break

    assert pages == 3
    assert names == sorted((name for _, name, _ in SEEDED_TOPICS), key=str.casefold)
    one = api.client.get(f"/unified/lms/categories/{ids[0]}", headers=api.headers())
    assert one.status_code == 200, one.text
    assert one.json()["data"]["name"] == names[0]


# Authentication


def test_the_api_wants_a_valid_key_for_the_account(api: Api) -> None:
    path = "/unified/lms/categories"

    none = api.client.get(path)
    assert none.status_code == 401
    assert "Bearer" in none.headers["WWW-Authenticate"]
    unknown = api.client.get(path, headers={"Authorization": "Bearer wlc_000000000000_" + "x" * 43})
    assert unknown.status_code == 401
    garbage = api.client.get(path, headers={"Authorization": "Bearer not-a-key"})
    assert garbage.status_code == 401
    other_account = api.client.get(path, headers={**api.headers("other"), "x-account-id": "sandbox"})
    assert other_account.status_code == 403
    assert "sandbox" in other_account.json()["message"]
    assert api.put(api.content(), account="other").status_code == 201  # its own account it may act on
    foreign = api.client.get(path, headers={**api.headers(), "x-account-id": "other"})
    assert foreign.status_code == 403
    basic = base64.b64encode(f"{api.keys['sandbox']}:".encode()).decode()
    assert api.client.get(path, headers={"Authorization": f"Basic {basic}"}).status_code == 200


# Batch


def test_a_batch_answers_each_item_and_one_bad_item_does_not_stop_the_good_one(api: Api) -> None:
    good = api.content()
    bad = api.content(title="Sales Basics", external_reference="SALES-BASICS", categories=[{"name": "Salez"}])

    response = api.client.post("/unified/lms/content/batch", json={"items": [good, bad]}, headers=api.headers())

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["statusCode"], body["succeeded"], body["failed"]) == (207, 1, 1)
    first, second = body["data"]
    assert (first["index"], first["statusCode"], first["external_reference"]) == (0, 201, "ADV-SALES-001")
    assert first["remote_id"] == api.learning.courses()[0].wid
    assert (second["index"], second["statusCode"], second["field"]) == (1, 422, "categories")
    assert "Salez" in second["message"]
    assert [course.course_id for course in api.learning.courses()] == ["ADV-SALES-001"]


# What Workday holds: the read-only views


def _data(api: Api, path: str, **params: str | int) -> Any:
    response = api.client.get(path, params=params, headers=api.headers())
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_the_seed_content_is_listed_and_shown_as_workday_holds_it(api: Api) -> None:
    body = _created(api.put(api.content()))
    stored = api.learning.course("ADV-SALES-001")
    assert stored is not None
    assert stored.image is not None

    listed = _data(api, "/unified/lms/content")
    shown = _data(api, "/unified/lms/content/ADV-SALES-001")

    assert listed == [
        {
            "id": "ADV-SALES-001",
            "remote_id": body["remote_id"],
            "external_reference": "ADV-SALES-001",
            "title": "Advanced Sales Techniques",
            "active": True,
        }
    ]
    assert [(le["order"], le["type"], le["mandatory"]) for le in shown["lessons"]] == [(1, "external", True)]
    assert [c["name"] for c in shown["categories"]] == ["Sales", "Technology"]
    assert [s["name"] for s in shown["skills"]] == ["Sales Techniques", "Customer Engagement"]
    assert [language["id"] for language in shown["languages"]] == ["en_GB", "fr_FR"]
    assert (shown["duration_minutes"], shown["requires_enrollment"]) == (91, True)
    assert shown["cover_image"]["size_bytes"] == len(stored.image.data)
    assert shown["cover_image"]["content_type"] == stored.image.content_type
    missing = api.client.get("/unified/lms/content/ADV-SALES-404", headers=api.headers())
    assert missing.status_code == 404


def test_a_learners_and_a_courses_enrollments_say_how_each_was_made(api: Api) -> None:
    _created(api.put(api.content()))
    other = worker_at(POPULATION, 1).employee_id
    launched = api.enrollments.launch(LEARNER, "ADV-SALES-001")
    accepted = api.client.post(f"/unified/lms/users/{other}/completions", json=SEED_COMPLETION, headers=api.headers())
    assert accepted.status_code == 202, accepted.text
    assert api.worker.drain() == 1

    learners = _data(api, f"/unified/lms/users/{LEARNER}/completions")
    course = _data(api, "/unified/lms/content/ADV-SALES-001/completions")

    assert [(e["id"], e["launched_only"], e["result"]) for e in learners] == [(launched.wid, True, None)]
    assert learners[0]["completed_at"] is not None, "Workday completed the one-lesson course on launch"
    by_learner = {e["learner_id"]: e for e in course}
    assert by_learner[LEARNER] == learners[0]
    assert (by_learner[other]["launched_only"], by_learner[other]["result"], by_learner[other]["score"]) == (
        False,
        "pass",
        100.0,
    )
    assert by_learner[other]["completed_at"] == "2025-01-15T14:45:30Z"


def test_skills_list_the_tenants_skills_page_by_page(api: Api) -> None:
    first = api.client.get("/unified/lms/skills", params={"page_size": 6}, headers=api.headers()).json()
    rest = _data(api, "/unified/lms/skills", page_size=6, next=first["next"])

    assert [s["name"] for s in first["data"] + rest] == sorted((name for _, name in SEEDED_SKILLS), key=str.casefold)
