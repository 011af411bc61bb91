"""Sync runs over HTTP: enqueued on the workers and followed by id. The engine keeps its state in a SQLite file
beside the world's ledger; where a run must end, a worker's engine runs in this process."""

import time
from collections.abc import Iterator
from typing import Any

import pytest

from app.runtime.client import close_clients
from app.runtime.engine import Engine
from app.settings import RuntimeSettings
from tests.factories import a_worker
from tests.unit.http.world import COMPLETION, World

FAST = RuntimeSettings(queue_polling_seconds=0.05, scheduler_polling_seconds=0.2, executor_id="test")


@pytest.fixture
def worker(world: World) -> Iterator[World]:
    engine = Engine(world.application, runtime=FAST)
    engine.start()
    try:
        yield world
    finally:
        engine.stop(timeout=5)
        close_clients()


@pytest.fixture(autouse=True)
def _no_client_left() -> Iterator[None]:
    yield
    close_clients()


def _ended(world: World, run_id: str, headers: dict[str, str], deadline: float = 30.0) -> dict[str, Any]:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        run = world.client.get(f"/runs/{run_id}", headers=headers)
        assert run.status_code == 200, run.text
        if run.json()["state"] not in ("queued", "running"):
            return dict(run.json())
        time.sleep(0.02)
    raise AssertionError(f"run {run_id} did not end within {deadline} s")


def test_a_membership_sync_is_a_dry_run_unless_asked_to_apply(world: World) -> None:
    world.tenants["acme"].directory.rows.extend([a_worker(), a_worker()])

    dry = world.client.post("/sync/membership", headers=world.as_acme())

    assert dry.status_code == 200, dry.text
    assert dry.json()["dry_run"] is True
    assert dry.json()["summary"]["invite"] == 2
    assert list(world.tenants["acme"].members.members()) == []


def test_an_applied_membership_sync_is_queued_and_a_second_request_answers_the_same_run(world: World) -> None:
    first = world.client.post("/sync/membership", json={"apply": True}, headers=world.as_acme())
    second = world.client.post("/sync/membership", json={"apply": True}, headers=world.as_acme())
    other_kind = world.client.post("/sync/transcripts", headers=world.as_acme())
    other_tenant = world.client.post("/sync/membership", json={"apply": True}, headers=world.headers_for("globex"))

    assert (first.status_code, first.json()["state"], first.json()["kind"]) == (202, "queued", "membership")
    assert second.json()["id"] == first.json()["id"]
    assert len({first.json()["id"], other_kind.json()["id"], other_tenant.json()["id"]}) == 3
    assert list(world.tenants["acme"].members.members()) == []  # nothing runs without a worker


def test_an_applied_membership_sync_runs_on_a_worker_and_its_ledger_run_can_be_read(worker: World) -> None:
    world = worker
    world.tenants["acme"].directory.rows.extend([a_worker(), a_worker()])

    accepted = world.client.post("/sync/membership", json={"apply": True}, headers=world.as_acme())

    assert accepted.status_code == 202, accepted.text
    ended = _ended(world, accepted.json()["id"], world.as_acme())
    assert ended["state"] == "finished", ended
    assert (ended["result"]["outcome"], ended["result"]["counts"]["invite"]) == ("succeeded", 2)
    assert len(list(world.tenants["acme"].members.members())) == 2
    run = world.client.get(f"/runs/{ended['result']['run']}", headers=world.as_acme()).json()
    assert (run["kind"], run["counts"]["invite"]) == ("membership", 2)
    again = world.client.post("/sync/membership", json={"apply": True}, headers=world.as_acme())
    assert again.json()["id"] != accepted.json()["id"]  # the first has ended: a new run


def test_a_run_of_another_account_is_not_found(world: World) -> None:
    accepted = world.client.post("/sync/transcripts", headers=world.as_acme())

    assert world.client.get(f"/runs/{accepted.json()['id']}", headers=world.headers_for("globex")).status_code == 404
    assert world.client.get("/runs/99", headers=world.as_acme()).status_code == 404
    assert world.client.get("/runs/transcripts@nothing@acme", headers=world.as_acme()).status_code == 404


def test_a_run_id_of_digits_int_does_not_read_is_not_found(world: World) -> None:
    """Found by the API's fuzz test: "²" is a digit to ``str.isdigit`` and not to ``int``."""
    for run_id in ("²", "٣", "1²"):
        assert world.client.get(f"/runs/{run_id}", headers=world.as_acme()).status_code == 404, run_id


def test_reconcile_runs_on_a_worker_a_dry_run_unless_asked_to_fix_and_a_fix_is_a_run(worker: World) -> None:
    world = worker
    world.seed_course()
    posted = world.client.post("/unified/lms/users/E00042/completions", json=COMPLETION, headers=world.as_acme())
    assert posted.status_code == 202, posted.text
    world.worker.drain()
    acme = world.tenants["acme"]
    (enrollment,) = acme.enrollments.enrollments("E00042", None)
    acme.enrollments.rescind(enrollment).unwrap()  # an administrator rescinds it in Workday

    dry = _ended(world, world.client.post("/sync/reconcile", headers=world.as_acme()).json()["id"], world.as_acme())

    assert (dry["state"], dry["result"]["outcome"], dry["result"]["run"]) == ("finished", "dry_run", None)
    assert dry["result"]["counts"]["discrepancies"] == 1
    fixing = world.client.post("/sync/reconcile", json={"fix": True}, headers=world.as_acme())
    fixed = _ended(world, fixing.json()["id"], world.as_acme())
    assert (fixed["result"]["outcome"], fixed["result"]["counts"]["corrected"]) == ("succeeded", 1)
    run = world.client.get(f"/runs/{fixed['result']['run']}", headers=world.as_acme()).json()
    assert (run["kind"], run["outcome"]) == ("reconcile", "succeeded")


def test_reconcile_refuses_a_course_reference_that_is_empty(world: World) -> None:
    response = world.client.post("/sync/reconcile", json={"courses": [""]}, headers=world.as_acme())

    assert response.status_code == 422
    assert "courses" in response.text
