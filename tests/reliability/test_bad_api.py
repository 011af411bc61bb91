"""Bad input to the HTTP API: a malformed completion or content payload gets a 422 that names the field, and
never a 500, whatever JSON it is."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.http.world import COMPLETION, CONTENT, World

COMPLETIONS = "/unified/lms/users/21001/completions"
CONTENTS = "/unified/lms/content"
_DROP = object()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    world = World(Path(tmp_path_factory.mktemp("api")) / "ledger.sqlite3")
    world.seed_course()
    return world


def changed(payload: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    """``payload`` with the value at the dotted ``path`` replaced (or dropped, given ``_DROP``)."""
    result = copy.deepcopy(payload)
    *parents, last = path.split(".")
    target: Any = result
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if value is _DROP:
        del target[int(last) if isinstance(target, list) else last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return result


BAD_COMPLETIONS = [
    ("learning_object_external_reference", _DROP),
    ("learning_object_external_reference", ["ADV-SALES-001"]),
    ("learning_object_external_reference", {"id": "ADV-SALES-001"}),
    ("learning_object_external_reference", 17),
    ("result", _DROP),
    ("result", "Pass"),
    ("result.value", "Maybe"),
    ("result.value", None),
    ("completed_at", _DROP),
    ("completed_at", "2025-01-15T14:45:30"),
    ("completed_at", "yesterday"),
    ("completed_at", "2025-02-30T10:00:00Z"),
    ("completed_at", [2025, 1, 15]),
    ("time_spent", "45 minutes"),
    ("time_spent", 45),
    ("score", "full marks"),
    ("score.value", 101),
    ("score.value", -1),
    ("score.value", "NaN"),
    ("score.value", "Infinity"),
    ("score.raw_value", {"grade": "A"}),
]


@pytest.mark.parametrize(("path", "value"), BAD_COMPLETIONS)
def test_a_malformed_completion_gets_a_422_naming_its_field(world: World, path: str, value: object) -> None:
    response = world.client.post(COMPLETIONS, json=changed(COMPLETION, path, value), headers=world.as_acme())
    assert response.status_code == 422, response.text
    body = response.json()
    assert path.split(".", maxsplit=1)[0] in body.get("field", ""), body


BAD_CONTENTS = [
    ("title", _DROP),
    ("title", 42),
    ("title", {"text": "A title"}),
    ("external_reference", _DROP),
    ("external_reference", ["ADV-SALES-001"]),
    ("content_url", None),
    ("categories", []),
    ("categories", "Sales"),
    ("categories.0.name", _DROP),
    ("categories.0", "Sales"),
    ("languages", "en_GB"),
    ("languages.0.value", 5),
    ("languages.0.value", "english please"),
    ("skills.0.hierarchy.value", ["primary"]),
    ("duration", "90 minutes"),
    ("duration", 90),
    ("order", "first"),
    ("active", "maybe"),
]


@pytest.mark.parametrize(("path", "value"), BAD_CONTENTS)
def test_malformed_content_gets_a_422_naming_its_field(world: World, path: str, value: object) -> None:
    response = world.client.put(CONTENTS, json=changed(CONTENT, path, value), headers=world.as_acme())
    assert response.status_code == 422, response.text
    body = response.json()
    assert path.split(".", maxsplit=1)[0] in body.get("field", ""), body


@pytest.mark.parametrize(("url", "method"), [(COMPLETIONS, "POST"), (CONTENTS, "PUT")], ids=["completion", "content"])
@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"null", b"[]", b'"text"', b"42", b"\xff\xfe", b'{"a": 1e999999}', b"[" * 5000 + b"]" * 5000],
    ids=["empty", "open", "null", "list", "string", "number", "not-utf8", "huge-exponent", "deep"],
)
def test_a_body_that_is_no_object_gets_a_422(world: World, url: str, method: str, raw: bytes) -> None:
    headers = {**world.as_acme(), "Content-Type": "application/json"}
    response = world.client.request(method, url, content=raw, headers=headers)
    assert response.status_code == 422, response.text
    assert "body" in response.json().get("field", "body"), response.text


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=80, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(
    path=st.sampled_from(
        [
            "learning_object_external_reference",
            "result",
            "result.value",
            "completed_at",
            "time_spent",
            "score",
            "score.value",
            "score.raw_value",
        ]
    ),
    value=JSON,
)
def test_any_json_in_any_completion_field_answers_202_or_a_422_naming_it(
    world: World, path: str, value: object
) -> None:
    response = world.client.post(COMPLETIONS, json=changed(COMPLETION, path, value), headers=world.as_acme())
    assert response.status_code in (202, 422), response.text
    if response.status_code == 422:
        assert path.split(".", maxsplit=1)[0] in response.json().get("field", ""), response.text


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(
    path=st.sampled_from(
        [
            "title",
            "external_reference",
            "content_url",
            "description",
            "languages",
            "languages.0.value",
            "cover_url",
            "duration",
            "skills",
            "skills.0.name",
            "order",
            "categories",
            "categories.0.name",
            "active",
        ]
    ),
    value=JSON,
)
def test_any_json_in_any_content_field_never_answers_a_server_error(world: World, path: str, value: object) -> None:
    response = world.client.put(CONTENTS, json=changed(CONTENT, path, value), headers=world.as_acme())
    assert response.status_code < 500, response.text
    if response.status_code == 422:
        assert response.json().get("field"), response.text
