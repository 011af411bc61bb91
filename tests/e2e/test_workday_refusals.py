"""A Workday answer that judges the request itself, without a SOAP fault, end to end: the API over the real
container and adapters, and the sandbox's Learning service refusing a SOAP body over its limit with 413."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.http.app import create_app
from app.http.wiring import build_dependencies
from domain.learning_content import DESCRIPTION_MAX
from sandbox.server import SandboxServer
from tests.e2e.test_lms_api import POPULATION, SEED_CONTENT, settings_for

SOAP_LIMIT = 8 * 1024
"""The sandbox's largest SOAP body here: a course with the seed's short description fits, one with a description
near the connector's own limit does not."""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[SandboxServer, TestClient, dict[str, str]]]:
    with SandboxServer(replace(POPULATION, soap_max_request_bytes=SOAP_LIMIT)) as server:
        deps = build_dependencies(settings_for(server, tmp_path))
        key = deps.keys.create(["sandbox"], datetime.now(UTC))[1]
        with TestClient(create_app(deps)) as client:
            yield server, client, {"Authorization": f"Bearer {key}"}


def _content(**changes: object) -> dict[str, object]:
    payload = copy.deepcopy(SEED_CONTENT)
    del payload["cover_url"]
    return {**payload, **changes}


def test_a_course_workday_refuses_as_too_large_is_a_422_sent_once_and_never_a_502(
    served: tuple[SandboxServer, TestClient, dict[str, str]],
) -> None:
    server, client, headers = served
    description = "A long description. " * ((DESCRIPTION_MAX - 100) // 20)

    response = client.put("/unified/lms/content", json=_content(description=description), headers=headers)

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["message"] == "Workday refused the course"
    [provider_error] = body["provider_errors"]
    assert "HTTP 413" in provider_error
    assert "larger than the tenant takes" in provider_error
    assert server.counts.answered("workday", 413) == 1
    assert server.learning.courses() == []


def test_after_a_refusal_as_too_large_a_course_that_fits_is_published(
    served: tuple[SandboxServer, TestClient, dict[str, str]],
) -> None:
    server, client, headers = served
    too_long = _content(description="A long description. " * ((DESCRIPTION_MAX - 100) // 20))
    assert client.put("/unified/lms/content", json=too_long, headers=headers).status_code == 422

    response = client.put("/unified/lms/content", json=_content(), headers=headers)

    assert response.status_code == 201, response.text
    assert [course.course_id for course in server.learning.courses()] == ["ADV-SALES-001"]
