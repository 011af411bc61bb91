from datetime import timedelta
from typing import Any

from returns.result import Failure, Result

from app.use_cases.lms import LmsRefusal, PushCompletion, RefusalReason
from domain.errors import PortUnavailable
from domain.learning_completions import Enrollment, LearningCompletion
from domain.outbox import OutboxStatus
from tests.unit.http.world import COMPLETION, World

USER = "/unified/lms/users/E00042/completions"


def _post(world: World, payload: dict[str, Any] = COMPLETION, path: str = USER) -> dict[str, Any]:
    response = world.client.post(path, json=payload, headers=world.as_acme())
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


def _get(world: World, entry_id: str) -> dict[str, Any]:
    response = world.client.get(f"{USER}/{entry_id}", headers=world.as_acme())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_seed_completion_is_accepted_pending_then_delivered_on_the_learners_enrollment(world: World) -> None:
    world.seed_course()
    launched = world.tenants["acme"].enrollments.launch("E00042", "ADV-SALES-001")

    accepted = _post(world)

    assert accepted["status"] == "pending"
    assert _get(world, accepted["id"])["status"] == "pending"
    assert world.worker.drain() == 1
    delivered = _get(world, accepted["id"])
    assert delivered["status"] == "delivered"
    assert delivered["enrollment_id"] == launched.workday_id
    assert world.tenants["acme"].enrollments.by_id[launched.workday_id].result == "pass"


def test_posting_the_same_completion_twice_answers_the_same_id(world: World) -> None:
    first = _post(world)
    again = _post(world, {**COMPLETION, "completed_at": "2025-01-15T15:45:30+01:00", "result": {"value": "PASS"}})

    assert again["id"] == first["id"]
    other = _post(world, {**COMPLETION, "completed_at": "2025-01-16T09:00:00Z"})
    assert other["id"] != first["id"]


def test_a_completion_accepted_survives_a_restart_and_is_delivered_by_the_new_process(world: World) -> None:
    world.seed_course()
    accepted = _post(world)

    world.restart()

    assert world.worker.drain() == 1
    assert _get(world, accepted["id"])["status"] == "delivered"


def test_a_completion_claimed_by_a_process_that_died_is_delivered_once_its_claim_lapses(world: World) -> None:
    world.seed_course()
    accepted = _post(world)
    assert world.outbox.claim_next(world.clock.now(), timedelta(minutes=2)) is not None  # then the process dies
    world.restart()

    assert world.worker.drain() == 0
    world.clock.advance(timedelta(minutes=2))
    assert world.worker.drain() == 1
    assert _get(world, accepted["id"])["status"] == "delivered"


def test_a_refusal_for_an_unknown_course_is_final(world: World) -> None:
    accepted = _post(world, {**COMPLETION, "learning_object_external_reference": "NOPE"})

    world.worker.drain()

    failed = _get(world, accepted["id"])
    assert failed["status"] == "failed"
    assert "NOPE" in failed["error"]
    world.clock.advance(timedelta(days=1))
    assert world.worker.drain() == 0


def test_workday_unavailable_leaves_the_completion_pending_and_retries_it_later(world: World) -> None:
    world.seed_course()
    tenant = world.tenants["acme"]

    def down() -> Any:
        def push(completion: LearningCompletion, course_id: str | None = None) -> Result[Enrollment, LmsRefusal]:
            raise PortUnavailable("Workday is down for maintenance")

        return push

    tenant.push = down
    accepted = _post(world)
    assert world.worker.drain() == 1
    waiting = _get(world, accepted["id"])
    assert (waiting["status"], waiting["error"], waiting["attempts"]) == (
        "pending",
        "Workday is down for maintenance",
        1,
    )

    tenant.push = lambda: PushCompletion(tenant.workday, tenant.enrollments)
    assert world.worker.drain() == 0  # not due yet
    world.clock.advance(timedelta(seconds=5))
    assert world.worker.drain() == 1
    assert _get(world, accepted["id"])["status"] == "delivered"


def test_a_5xx_refusal_is_retried_like_an_outage(world: World) -> None:
    tenant = world.tenants["acme"]
    tenant.push = lambda: (
        lambda c, course_id=None: Failure(LmsRefusal("Workday refused", None, ("boom",), RefusalReason.UNAVAILABLE))
    )
    accepted = _post(world)
    world.worker.drain()
    assert _get(world, accepted["id"])["status"] == "pending"
    assert _get(world, accepted["id"])["error"] == "Workday refused; boom"


def test_malformed_completions_are_422s_naming_the_field(world: World) -> None:
    cases = {
        "body.result.value": {**COMPLETION, "result": {"value": "Maybe"}},
        "body.completed_at": {**COMPLETION, "completed_at": "2025-01-15T14:45:30"},
        "time_spent": {**COMPLETION, "time_spent": "45 minutes"},
        "body.score.value": {**COMPLETION, "score": {"value": 101}},
        "body.learning_object_external_reference": {k: v for k, v in COMPLETION.items() if k != "result"}
        | {"learning_object_external_reference": None, "result": {"value": "fail"}},
        "learning_object_external_reference": {**COMPLETION, "learning_object_external_reference": "  "},
    }
    for field, payload in cases.items():
        response = world.client.post(USER, json=payload, headers=world.as_acme())
        assert response.status_code == 422, (field, response.text)
        assert response.json()["field"] == field
    assert world.worker.drain() == 0


def test_deleting_a_delivered_completion_withdraws_its_enrollment(world: World) -> None:
    world.seed_course()
    accepted = _post(world)
    world.worker.drain()
    enrollment_id = _get(world, accepted["id"])["enrollment_id"]

    response = world.client.delete(f"{USER}/{accepted['id']}", headers=world.as_acme())

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "deleted"
    assert enrollment_id in world.tenants["acme"].enrollments.rescinded
    assert world.client.delete(f"{USER}/{accepted['id']}", headers=world.as_acme()).status_code == 200


def test_deleting_by_the_enrollments_wid_marks_the_completion_delivered_on_it_deleted(world: World) -> None:
    world.seed_course()
    accepted = _post(world)
    world.worker.drain()
    enrollment_id = _get(world, accepted["id"])["enrollment_id"]

    response = world.client.delete(f"{USER}/{enrollment_id}", headers=world.as_acme())

    assert response.status_code == 200, response.text
    assert _get(world, accepted["id"])["status"] == "deleted"


def test_a_pending_completion_cannot_be_deleted(world: World) -> None:
    accepted = _post(world)

    response = world.client.delete(f"{USER}/{accepted['id']}", headers=world.as_acme())

    assert response.status_code == 409
    assert world.outbox.get(int(accepted["id"])).status is OutboxStatus.PENDING  # type: ignore[union-attr]


def test_a_workday_enrollment_can_be_read_and_deleted_by_its_wid(world: World) -> None:
    world.seed_course()
    launched = world.tenants["acme"].enrollments.launch("E00042", "ADV-SALES-001")

    got = world.client.get(f"{USER}/{launched.workday_id}", headers=world.as_acme())
    assert got.status_code == 200
    assert got.json()["enrollment_id"] == launched.workday_id
    deleted = world.client.delete(f"{USER}/{launched.workday_id}", headers=world.as_acme())
    assert deleted.status_code == 200
    assert world.client.get(f"{USER}/{launched.workday_id}", headers=world.as_acme()).status_code == 404


def test_another_accounts_or_learners_completion_is_not_found(world: World) -> None:
    accepted = _post(world)

    other_user = world.client.get(f"/unified/lms/users/E00043/completions/{accepted['id']}", headers=world.as_acme())
    other_account = world.client.get(f"{USER}/{accepted['id']}", headers=world.headers_for("globex"))

    assert other_user.status_code == 404
    assert other_account.status_code == 404


def test_an_account_whose_settings_are_incomplete_is_a_503_and_its_completions_wait(world: World) -> None:
    from app.errors import ConfigurationError

    def misconfigured() -> Any:
        raise ConfigurationError("the tenant has no [oauth] client")

    world.tenants["acme"].push = misconfigured
    accepted = _post(world)
    world.worker.drain()
    assert _get(world, accepted["id"])["status"] == "pending"
    assert "oauth" in _get(world, accepted["id"])["error"]
