from tests.seed_payloads import SEED_CONTENT_AS_PRINTED
from tests.unit.http.world import World


def _sent_as_json(world: World) -> dict[str, str]:
    return {**world.as_acme(), "content-type": "application/json"}


def test_the_seeds_content_payload_as_printed_is_a_422_naming_its_trailing_comma_by_line_and_column(
    world: World,
) -> None:
    response = world.client.put("/unified/lms/content", content=SEED_CONTENT_AS_PRINTED, headers=_sent_as_json(world))

    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "body"
    assert body["message"].startswith("body is not JSON: line 21, column 4: trailing comma")
    assert body["provider_errors"] == []
    assert world.tenants["acme"].workday.stored_courses == {}


def test_every_json_body_that_does_not_parse_is_described_by_line_and_column(world: World) -> None:
    completion = '{\n  "learning_object_external_reference": "ADV-SALES-001"\n  "result": {"value": "Pass"}\n}'
    batch = '{"items": [\n  {"title": "x"},\n]}'
    cases = {
        "/unified/lms/users/E00042/completions": (completion, "line 3, column 3: a ',' is missing between two items"),
        "/unified/lms/content/batch": (batch, "line 2, column 17: trailing comma"),
    }
    for path, (document, expected) in cases.items():
        response = world.client.post(path, content=document, headers=_sent_as_json(world))
        assert response.status_code == 422, (path, response.text)
        assert response.json()["message"].startswith(f"body is not JSON: {expected}"), response.text
