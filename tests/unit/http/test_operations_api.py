"""The operators' HTTP surface: ``GET /admin/status``, ``GET /metrics``, and the request id every answer and log
record carries."""

import json
import logging
from datetime import timedelta
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from returns.result import Failure, Result

from app.observability.tracing import REQUEST_ID
from app.status_json import status_document
from app.use_cases.lms import LmsRefusal
from domain.errors import PortUnavailable
from domain.learning_completions import Enrollment, LearningCompletion
from tests.logging_capture import captured_logs
from tests.span_capture import span_exporter
from tests.unit.http.world import COMPLETION, World

USER = "/unified/lms/users/E00042/completions"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_admin_status_answers_what_wlc_status_json_prints(world: World) -> None:
    response = world.client.get("/admin/status", headers=world.as_admin())

    assert response.status_code == 200, response.text
    expected = [status_document(s) for s in world.application.tenant_status()()]
    assert response.json() == expected
    assert [doc["tenant"] for doc in response.json()] == ["acme", "globex"]


def test_admin_status_of_one_tenant_and_of_an_unknown_one(world: World) -> None:
    one = world.client.get("/admin/status", params={"tenant": "globex"}, headers=world.as_admin())
    unknown = world.client.get("/admin/status", params={"tenant": "initech"}, headers=world.as_admin())

    assert [doc["tenant"] for doc in one.json()] == ["globex"]
    assert unknown.status_code == 404
    assert "'initech' is not configured" in unknown.json()["message"]


def test_admin_status_refuses_a_tenants_key(world: World) -> None:
    response = world.client.get("/admin/status", headers={"Authorization": f"Bearer {world.both_key}"})

    assert response.status_code == 403


def test_metrics_show_each_tenants_outbox_read_from_the_ledger(world: World) -> None:
    world.seed_course()
    accepted = world.client.post(USER, json=COMPLETION, headers=world.as_acme())
    assert accepted.status_code == 202, accepted.text
    world.clock.advance(timedelta(minutes=5))

    response = world.client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    assert found["wlc_outbox_depth", (("tenant", "acme"),)] == 1
    assert found["wlc_outbox_depth", (("tenant", "globex"),)] == 0
    assert found["wlc_outbox_oldest_pending_age_seconds", (("tenant", "acme"),)] == pytest.approx(300, abs=1)
    assert found["wlc_outbox_oldest_pending_age_seconds", (("tenant", "globex"),)] == 0


def test_every_answer_carries_a_request_id_and_a_usable_one_given_is_kept(world: World) -> None:
    made = world.client.get("/healthz")
    kept = world.client.get("/healthz", headers={"X-Request-ID": "req-42"})
    replaced = world.client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})

    assert len(made.headers["x-request-id"]) == 32
    assert kept.headers["x-request-id"] == "req-42"
    assert replaced.headers["x-request-id"] not in ("", "bad id\twith spaces")


def test_a_4xx_is_logged_once_with_its_reason_and_the_request_id(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    bad = {**COMPLETION, "time_spent": "forty minutes"}

    response = world.client.post(USER, json=bad, headers={**world.as_acme(), "X-Request-ID": "req-7"})

    assert response.status_code == 422
    refusals = [r for r in caplog.records if "with 422" in r.getMessage()]
    assert len(refusals) == 1
    assert response.json()["message"] in refusals[0].getMessage()


def test_a_request_ids_records_name_it(world: World) -> None:
    with captured_logs("json") as written:
        world.client.post(
            USER, json={**COMPLETION, "time_spent": "soon"}, headers={**world.as_acme(), "X-Request-ID": "r-9"}
        )

    records = [json.loads(line) for line in written.getvalue().splitlines()]
    refusal = next(r for r in records if "with 422" in r["event"])
    assert refusal["request_id"] == "r-9"
    assert refusal["status"] == 422


def _post_one(world: World, learner: str = "E00042") -> None:
    world.seed_course()
    posted = world.client.post(f"/unified/lms/users/{learner}/completions", json=COMPLETION, headers=world.as_acme())
    assert posted.status_code == 202, posted.text


def test_each_delivery_failure_is_logged_once_naming_its_tenant(world: World) -> None:
    _post_one(world)

    def push() -> Any:
        def unreachable(completion: LearningCompletion, course_id: str | None = None) -> Any:
            raise PortUnavailable("Workday could not be reached")

        return unreachable

    world.tenants["acme"].push = push
    with captured_logs("json") as written:
        world.worker.drain_once()

    records = [json.loads(line) for line in written.getvalue().splitlines()]
    failures = [r for r in records if "not delivered" in r["event"]]
    assert len(failures) == 1
    assert failures[0]["tenant"] == "acme"
    assert "Workday could not be reached" in failures[0]["event"]


def test_a_completion_refused_for_good_is_logged_once_with_why(world: World) -> None:
    _post_one(world)

    def push() -> Any:
        def refused(completion: LearningCompletion, course_id: str | None = None) -> Result[Enrollment, LmsRefusal]:
            return Failure(LmsRefusal("the learner is not a worker of this tenant", "learner_id"))

        return refused

    world.tenants["acme"].push = push
    with captured_logs("json") as written:
        world.worker.drain_once()

    records = [json.loads(line) for line in written.getvalue().splitlines()]
    refusals = [r for r in records if "refused for good" in r["event"]]
    assert len(refusals) == 1
    assert refusals[0]["tenant"] == "acme"
    assert "not a worker of this tenant" in refusals[0]["event"]


def test_a_request_is_a_session_span_named_by_its_route_with_its_request_id(world: World) -> None:
    spans = span_exporter()

    world.client.get(f"{USER}/nothing-here", headers={**world.as_acme(), "X-Request-ID": "r-11"})

    session = next(s for s in spans.get_finished_spans() if s.attributes and s.attributes.get(REQUEST_ID) == "r-11")
    assert session.name == "session GET /unified/lms/users/{id}/completions/{completion_id}"
    assert session.attributes is not None
    assert session.attributes["http.response.status_code"] == 404
    spans.shutdown()
