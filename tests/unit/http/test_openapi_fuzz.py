"""Schemathesis over the app's own OpenAPI document, in process: whatever a caller sends within (or just
outside) the schema, the API answers without a 5xx; the admin API with an admin key, the rest with a tenant's.
``make test`` draws a few cases an operation; ``make soak`` many more."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.unit.http.world import World


def test_no_operation_answers_a_server_error(world: World) -> None:
    no_server_error(world, examples=8)


@pytest.mark.soak
def test_no_operation_answers_a_server_error_over_many_cases(world: World) -> None:
    no_server_error(world, examples=200)


def no_server_error(world: World, *, examples: int) -> None:
    # Imported here, not at collection: only this module's two tests use it, and every test process collects it.
    schemathesis = pytest.importorskip("schemathesis")
    world.seed_course()
    schema = schemathesis.openapi.from_asgi("/openapi.json", world.app)
    tenant = {"Authorization": f"Bearer {world.both_key}", "x-account-id": "acme"}
    checked = 0
    for found in schema.get_all_operations():
        operation = found.ok()
        auth = world.as_admin() if operation.path.startswith("/admin") else tenant

        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def answers_without_a_server_error(case: Any) -> None:
            response = case.call(headers=auth)  # noqa: B023 - called within this iteration
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"

        answers_without_a_server_error()
        checked += 1
    assert checked >= 21  # the tenant's endpoints and the admin API's nine
