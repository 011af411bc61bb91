from typing import Any

from domain.learning_content import DESCRIPTION_MAX, TITLE_MAX, URL_MAX
from tests.unit.http.world import CONTENT, World

LONG_URL = "https://provider.example.com/courses/adv-sales-001?" + "q" * URL_MAX


def test_an_over_long_title_description_or_url_is_a_422_naming_the_field_and_nothing_reaches_workday(
    world: World,
) -> None:
    cases: dict[str, dict[str, Any]] = {
        "title": {"title": "T" * (TITLE_MAX + 1)},
        "description": {"description": "D" * (DESCRIPTION_MAX + 1)},
        "content_url": {"content_url": LONG_URL},
        "cover_url": {"cover_url": LONG_URL},
        "mobile_url": {"mobile_launch_content_url": LONG_URL},
    }
    for field, change in cases.items():
        response = world.client.put("/unified/lms/content", json={**CONTENT, **change}, headers=world.as_acme())

        assert response.status_code == 422, (field, response.text)
        body = response.json()
        assert body["field"] == field
        assert "characters long; the most it may be is" in body["message"]
    assert world.tenants["acme"].workday.stored_courses == {}


def test_in_a_batch_an_over_long_title_fails_its_item_alone(world: World) -> None:
    items = [{**CONTENT, "title": "T" * (TITLE_MAX + 1)}, {**CONTENT, "external_reference": "OTHER-1", "title": "B"}]

    response = world.client.post("/unified/lms/content/batch", json={"items": items}, headers=world.as_acme())

    assert response.json()["statusCode"] == 207
    results = response.json()["data"]
    assert (results[0]["statusCode"], results[0]["field"]) == (422, "title")
    assert results[1]["statusCode"] == 201
