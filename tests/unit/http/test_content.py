from typing import Any

from tests.unit.http.world import CONTENT, World


def _with(**changes: Any) -> dict[str, Any]:
    return {**CONTENT, **changes}


def test_the_seed_content_payload_is_upserted_and_answered_with_our_id_and_workdays(world: World) -> None:
    response = world.client.put("/unified/lms/content", json=CONTENT, headers=world.as_acme())

    assert response.status_code == 201, response.text
    course = world.tenants["acme"].workday.stored("ADV-SALES-001")
    assert course is not None
    assert response.json() == {
        "id": "ADV-SALES-001",
        "remote_id": world.tenants["acme"].workday.course_by_reference("ADV-SALES-001").workday_id,  # type: ignore[union-attr]
        "external_reference": "ADV-SALES-001",
        "left_out": [],
    }
    assert course.duration_minutes == 91
    assert course.languages == ("en_GB", "fr_FR")
    assert course.topics == ("Sales", "Technology")
    assert world.tenants["globex"].workday.stored_courses == {}


def test_unknown_fields_are_ignored_and_both_mobile_url_names_are_accepted(world: World) -> None:
    extra = {"additional_data": [{"id": "x", "value": 1}], "unified_custom_fields": {"a": 1}, "content_type": "video"}
    for mobile in ("mobile_url", "mobile_launch_content_url"):
        payload = _with(**extra, **{mobile: "https://m.example.com/adv"})
        response = world.client.put("/unified/lms/content", json=payload, headers=world.as_acme())
        assert response.status_code == 201, response.text


def test_a_missing_field_is_a_422_naming_its_path(world: World) -> None:
    payload = _with(categories=[{"id": "cat-technology"}])
    response = world.client.put("/unified/lms/content", json=payload, headers=world.as_acme())

    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "body.categories.0.name"
    assert body["statusCode"] == 422
    assert "body.categories.0.name" in body["message"]
    assert body["provider_errors"] == []
    assert body["timestamp"].endswith("Z")


def test_values_the_domain_refuses_are_422s_naming_the_field(world: World) -> None:
    cases = {
        "duration": _with(duration="1h30"),
        "languages": _with(languages=[{"value": "english please"}]),
        "categories.0.name": _with(categories=[{"name": "   "}]),
        "content_url": _with(content_url="ftp://nope"),
        "order": _with(order=0),
        "title": _with(title="  "),
    }
    for field, payload in cases.items():
        response = world.client.put("/unified/lms/content", json=payload, headers=world.as_acme())
        assert response.status_code == 422, (field, response.text)
        assert response.json()["field"] == field


def test_malformed_bodies_are_422s_never_500s(world: World) -> None:
    for body in ('{"title": "x",}', "[]", "null", '{"categories": "Sales"}', '{"duration": 5}'):
        response = world.client.put(
            "/unified/lms/content", content=body, headers={**world.as_acme(), "content-type": "application/json"}
        )
        assert response.status_code == 422, (body, response.text)
    huge = _with(duration="P999999999999D")
    assert world.client.put("/unified/lms/content", json=huge, headers=world.as_acme()).status_code == 422


def test_an_unknown_category_is_refused_with_the_use_cases_status_and_field(world: World) -> None:
    response = world.client.put(
        "/unified/lms/content", json=_with(categories=[{"name": "Sails"}]), headers=world.as_acme()
    )

    assert response.status_code == 422
    assert response.json()["field"] == "categories"
    assert "Sails" in response.json()["message"]


def test_a_title_and_reference_pointing_at_two_courses_is_a_409(world: World) -> None:
    world.seed_course()
    other = _with(external_reference="OTHER-001", title="Other course")
    assert world.client.put("/unified/lms/content", json=other, headers=world.as_acme()).status_code == 201

    clash = _with(external_reference="OTHER-001")
    response = world.client.put("/unified/lms/content", json=clash, headers=world.as_acme())

    assert response.status_code == 409
    assert response.json()["field"] == "external_reference"


def test_a_batch_upserts_each_item_and_reports_the_bad_ones_by_index(world: World) -> None:
    items = [
        CONTENT,
        _with(external_reference="B-2", title="Second", duration="soon"),
        {"title": "no reference"},
        _with(external_reference="B-4", title="Fourth", categories=[{"name": "Unknown topic"}]),
        _with(external_reference="B-5", title="Fifth"),
    ]
    response = world.client.post("/unified/lms/content/batch", json={"items": items}, headers=world.as_acme())

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["statusCode"], body["succeeded"], body["failed"]) == (207, 2, 3)
    statuses = [(item["index"], item["statusCode"], item.get("field")) for item in body["data"]]
    assert statuses == [
        (0, 201, None),
        (1, 422, "duration"),
        (2, 422, "external_reference"),
        (3, 422, "categories"),
        (4, 201, None),
    ]
    assert world.tenants["acme"].workday.course_by_reference("B-5") is not None


def test_what_the_tenants_workday_cannot_take_is_answered_as_left_out(world: World) -> None:
    world.tenants["acme"].workday.lacks = frozenset({"languages"})

    single = world.client.put("/unified/lms/content", json=CONTENT, headers=world.as_acme())
    batch = world.client.post(
        "/unified/lms/content/batch",
        json={"items": [_with(external_reference="B-1", title="Other", languages=[])]},
        headers=world.as_acme(),
    )

    assert single.status_code == 201, single.text
    [left_out] = single.json()["left_out"]
    assert left_out["field"] == "languages"
    assert "takes no languages" in left_out["reason"]
    assert batch.json()["data"][0]["left_out"] == []
