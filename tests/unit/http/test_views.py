"""The read-only views over HTTP, on fakes: content (a page of courses, one in full), skills, and the
enrollments of a learner and of a course, paged by cursor as categories are."""

from __future__ import annotations

from typing import Any

from tests.unit.http.world import CONTENT, SKILLS, World

CONTENT_PATH = "/unified/lms/content"


def _ok(world: World, path: str, **params: str | int) -> dict[str, Any]:
    response = world.client.get(path, params=params, headers=world.as_acme())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _all_pages(world: World, path: str, page_size: int) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"page_size": page_size} | ({"next": cursor} if cursor else {})
        body = _ok(world, path, **params)
        items += body["data"]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            return items, pages


def _put(world: World, **changes: Any) -> None:
    response = world.client.put(CONTENT_PATH, json=CONTENT | changes, headers=world.as_acme())
    assert response.status_code == 201, response.text


def test_content_is_listed_page_by_page_with_workdays_id_and_whether_it_is_active(world: World) -> None:
    for n in range(5):
        _put(world, external_reference=f"REF-{n}", title=f"Course {n}", active=n != 3)

    listed, pages = _all_pages(world, CONTENT_PATH, 2)

    assert pages == 3
    assert [c["external_reference"] for c in listed] == [f"REF-{n}" for n in range(5)]
    assert [c["active"] for c in listed] == [True, True, True, False, True]
    stored = world.tenants["acme"].workday.course_by_reference("REF-0")
    assert stored is not None
    assert listed[0] == {
        "id": "REF-0",
        "remote_id": stored.workday_id,
        "external_reference": "REF-0",
        "title": "Course 0",
        "active": True,
    }


def test_one_course_is_shown_with_its_lessons_taxonomy_languages_duration_and_image_size(world: World) -> None:
    world.seed_course()

    shown = _ok(world, f"{CONTENT_PATH}/ADV-SALES-001")["data"]

    assert shown["title"] == "Advanced Sales Techniques"
    assert shown["lessons"] == [
        {
            "order": 1,
            "title": "Advanced Sales Techniques",
            "type": "external",
            "url": "https://provider.example.com/courses/adv-sales-001",
            "media_wid": None,
            "mandatory": True,
        }
    ]
    assert [c["name"] for c in shown["categories"]] == ["Sales", "Technology"]
    assert [(s["id"], s["name"]) for s in shown["skills"]] == [
        ("skill-001", "Sales Techniques"),
        ("skill-002", "Customer Engagement"),
    ]
    assert [language["id"] for language in shown["languages"]] == ["en_GB", "fr_FR"]
    assert (shown["duration_minutes"], shown["requires_enrollment"]) == (91, True)
    assert shown["cover_image"] == {"file_name": "cover.jpg", "content_type": "image/jpeg", "size_bytes": 3}
    assert shown["not_read"] == []


def test_an_unknown_course_is_a_404_naming_the_reference(world: World) -> None:
    response = world.client.get(f"{CONTENT_PATH}/NOPE-1", headers=world.as_acme())

    assert response.status_code == 404
    assert "'NOPE-1'" in response.json()["message"]
    enrollments = world.client.get(f"{CONTENT_PATH}/NOPE-1/completions", headers=world.as_acme())
    assert enrollments.status_code == 404


def test_skills_are_listed_by_name_page_by_page(world: World) -> None:
    listed, pages = _all_pages(world, "/unified/lms/skills", 1)

    assert pages == len(SKILLS)
    assert [s["name"] for s in listed] == sorted((s.name for s in SKILLS), key=str.casefold)
    assert {"id": "skill-001", "remote_id": "skill-001", "name": "Sales Techniques"} in listed


def test_a_learners_and_a_courses_enrollments_show_completion_result_score_and_how_they_were_made(
    world: World,
) -> None:
    world.seed_course()
    enrollments = world.tenants["acme"].enrollments
    launched = enrollments.launch("E00042", "ADV-SALES-001")
    enrollments.launch("E00043", "ADV-SALES-001")
    posted = world.client.post("/unified/lms/users/E00042/completions", json=_completion(), headers=world.as_acme())
    assert posted.status_code == 202, posted.text
    assert world.worker.drain() == 1

    learner = _ok(world, "/unified/lms/users/E00042/completions")
    course, pages = _all_pages(world, f"{CONTENT_PATH}/ADV-SALES-001/completions", 1)

    assert learner == {
        "data": [
            {
                "id": launched.workday_id,
                "learner_id": "E00042",
                "course_id": launched.course_id,
                "learning_object_external_reference": "ADV-SALES-001",
                "completed_at": "2025-01-15T14:45:30Z",
                "result": "pass",
                "score": 100.0,
                "launched_only": True,
            }
        ],
        "next": None,
    }
    assert pages == 2
    assert [(e["learner_id"], e["completed_at"], e["launched_only"]) for e in course] == [
        ("E00042", "2025-01-15T14:45:30Z", True),
        ("E00043", None, True),
    ]


def test_a_learner_with_no_enrollments_has_an_empty_list(world: World) -> None:
    assert _ok(world, "/unified/lms/users/E09999/completions") == {"data": [], "next": None}


def test_a_cursor_the_api_did_not_make_is_a_422_on_next_for_every_view(world: World) -> None:
    world.seed_course()
    for path in (
        CONTENT_PATH,
        "/unified/lms/skills",
        "/unified/lms/users/E00042/completions",
        f"{CONTENT_PATH}/ADV-SALES-001/completions",
    ):
        response = world.client.get(path, params={"next": "garbage"}, headers=world.as_acme())
        assert response.status_code == 422, path
        assert response.json()["field"] == "query.next"


def test_the_views_want_a_key_for_the_account(world: World) -> None:
    world.seed_course()
    for path in (CONTENT_PATH, f"{CONTENT_PATH}/ADV-SALES-001", "/unified/lms/skills"):
        assert world.client.get(path).status_code == 401
        assert world.client.get(path, headers=world.headers_for("globex") | {"x-account-id": "acme"}).status_code == 403


def _completion() -> dict[str, Any]:
    return {
        "learning_object_external_reference": "ADV-SALES-001",
        "result": {"value": "Pass"},
        "completed_at": "2025-01-15T14:45:30.000Z",
        "score": {"value": 100},
    }
