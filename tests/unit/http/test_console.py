"""The ops console without a browser: its pages, the login, and the session and CSRF rules every form obeys."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.http import create_app
from app.http.services import api_dependencies
from app.runtime.client import RunState, run_status
from app.settings import ConsoleSettings
from domain.runs import RunOutcome
from domain.schedules import SyncKind
from domain.workers import MalformedRow
from tests.console_world import ConsoleWorld, csrf_of, signed_in


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ConsoleWorld]:
    made = ConsoleWorld(tmp_path / "ledger.sqlite3")
    yield made
    made.application.tenants().close()


def test_a_page_sends_whoever_is_not_signed_in_to_the_login(world: ConsoleWorld) -> None:
    answer = world.client().get("/console")

    assert answer.status_code == 303
    assert answer.headers["location"].endswith("/console/login")


def test_the_admin_key_signs_in_to_a_session_cookie_that_scripts_and_other_sites_cannot_use(
    world: ConsoleWorld,
) -> None:
    client = world.client()
    token = csrf_of(client.get("/console/login").text)

    answer = client.post("/console/login", data={"key": world.admin_key, "name": "Ada", "csrf": token})

    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "path=/console" in cookie
    assert world.admin_key not in answer.headers["set-cookie"]
    page = client.get("/console")
    assert page.status_code == 200
    assert "Signed in as Ada (admin key " in page.text


def test_a_tenant_key_cannot_sign_in(world: ConsoleWorld) -> None:
    client = world.client()
    token = csrf_of(client.get("/console/login").text)

    answer = client.post("/console/login", data={"key": world.tenant_key, "csrf": token})

    assert answer.status_code == 403
    assert "tenant's key" in answer.text
    assert client.get("/console").status_code == 303


def test_an_unknown_key_cannot_sign_in(world: ConsoleWorld) -> None:
    client = world.client()
    token = csrf_of(client.get("/console/login").text)

    answer = client.post("/console/login", data={"key": "wlc_000000000000_" + "x" * 43, "csrf": token})

    assert answer.status_code == 401
    assert client.get("/console").status_code == 303


def test_the_login_form_without_its_csrf_token_is_refused(world: ConsoleWorld) -> None:
    client = world.client()
    client.get("/console/login")

    assert client.post("/console/login", data={"key": world.admin_key}).status_code == 403
    assert client.get("/console").status_code == 303


def test_a_form_with_a_missing_or_wrong_csrf_token_changes_nothing(world: ConsoleWorld) -> None:
    client = signed_in(world)
    pause = "/console/tenants/acme/schedules/membership/pause"

    missing = client.post(pause, data={})
    wrong = client.post(pause, data={"csrf": "not-the-token"})

    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert "CSRF" in wrong.text
    schedules = world.application.manage_tenants().schedules("acme").unwrap()
    assert schedules.settings.paused == []


def test_another_sessions_token_is_not_this_ones(world: ConsoleWorld) -> None:
    ada, bob = signed_in(world, "Ada"), signed_in(world, "Bob")
    bobs_token = csrf_of(bob.get("/console/tenants/acme").text)

    answer = ada.post("/console/tenants/acme/schedules/membership/pause", data={"csrf": bobs_token})

    assert answer.status_code == 403


def test_a_schedule_is_paused_and_resumed_from_the_tenant_page(world: ConsoleWorld) -> None:
    client = signed_in(world)
    token = csrf_of(client.get("/console/tenants/acme").text)

    paused = client.post("/console/tenants/acme/schedules/transcripts/pause", data={"csrf": token})

    assert paused.status_code == 303
    schedules = world.application.manage_tenants().schedules("acme").unwrap()
    assert schedules.settings.paused == [SyncKind.TRANSCRIPTS]
    assert (
        'action="http://127.0.0.1/console/tenants/acme/schedules/transcripts/resume"'
        in client.get("/console/tenants/acme").text
    )
    client.post("/console/tenants/acme/schedules/transcripts/resume", data={"csrf": token})
    assert world.application.manage_tenants().schedules("acme").unwrap().settings.paused == []


def test_the_session_ends_after_its_lifetime(tmp_path: Path) -> None:
    world = ConsoleWorld(tmp_path / "ledger.sqlite3", ConsoleSettings(session_hours=1))
    client = signed_in(world)
    token = csrf_of(client.get("/console").text)
    world.clock.advance(timedelta(minutes=59))
    assert client.get("/console").status_code == 200

    world.clock.advance(timedelta(minutes=1))

    assert client.get("/console").status_code == 303
    ended = client.post("/console/tenants/acme/schedules/membership/pause", data={"csrf": token})
    assert ended.status_code == 403
    assert world.application.manage_tenants().schedules("acme").unwrap().settings.paused == []
    world.application.tenants().close()


def test_signing_out_ends_the_session(world: ConsoleWorld) -> None:
    client = signed_in(world)
    token = csrf_of(client.get("/console").text)

    assert client.post("/console/logout", data={"csrf": token}).status_code == 303

    assert client.get("/console").status_code == 303


def test_a_cookie_signed_with_another_secret_is_no_session(tmp_path: Path) -> None:
    ours = ConsoleWorld(tmp_path / "ours.sqlite3")
    theirs = ConsoleWorld(tmp_path / "theirs.sqlite3")
    client = signed_in(theirs)
    forged = ours.client()
    forged.cookies.update(client.cookies)

    assert forged.get("/console").status_code == 303
    ours.application.tenants().close()
    theirs.application.tenants().close()


def test_the_session_key_is_made_once_and_shared_by_a_second_process_on_the_same_ledger(tmp_path: Path) -> None:
    first = ConsoleWorld(tmp_path / "ledger.sqlite3")
    client = signed_in(first)
    second = ConsoleWorld(tmp_path / "ledger.sqlite3")
    other_process = second.client()
    other_process.cookies.update(client.cookies)

    assert other_process.get("/console").status_code == 200
    first.application.tenants().close()
    second.application.tenants().close()


def test_the_tenants_page_shows_each_tenants_health_and_filters_by_name_and_health(world: ConsoleWorld) -> None:
    world.blocked_plan("acme")
    client = signed_in(world)

    every = client.get("/console").text
    by_name = client.get("/console", params={"q": "glob"}).text
    by_health = client.get("/console", params={"health": "attention"}).text

    assert "/console/tenants/acme" in every
    assert "/console/tenants/globex" in every
    assert "/console/tenants/acme" not in by_name
    assert "/console/tenants/globex" in by_name
    assert "/console/tenants/acme" in by_health
    assert "/console/tenants/globex" not in by_health
    assert "blocked plan: run 1" in by_health


def test_the_tenant_page_lists_rejected_report_rows_with_their_row_and_field(world: ConsoleWorld) -> None:
    world.blocked_plan("acme")
    client = signed_in(world)

    page = client.get("/console/tenants/acme").text

    assert "<code>Hire_Date</code>" in page
    assert "is not a date" in page
    assert "<td>3</td>" in page


def test_approving_a_blocked_plan_applies_it_and_records_who_approved(world: ConsoleWorld) -> None:
    run = world.blocked_plan("acme")
    client = signed_in(world, "Ada")
    plan = client.get(f"/console/plans/{run.id}").text
    assert plan.count('class="removal"') == 8

    answer = client.post(f"/console/plans/{run.id}/approve", data={"csrf": csrf_of(plan)})

    assert answer.status_code == 303
    decided = world.application.sync_ledger().run(run.id)
    assert decided is not None
    assert decided.outcome is RunOutcome.SUCCEEDED
    assert decided.decided_by == f"Ada (admin key {world.admin_id})"
    assert world.seated("acme") == 2
    shown = client.get(f"/console/runs/{run.id}").text
    assert shown.count('class="action"') == 9  # the 8 removals, and the report row the run rejected
    assert shown.count(f"<td>Ada (admin key {world.admin_id})</td>") == 8
    again = client.post(f"/console/plans/{run.id}/approve", data={"csrf": csrf_of(plan)})
    assert again.status_code == 409
    assert "already approved" in again.text


def test_rejecting_a_blocked_plan_applies_nothing(world: ConsoleWorld) -> None:
    run = world.blocked_plan("acme")
    client = signed_in(world, "Ada")
    token = csrf_of(client.get(f"/console/plans/{run.id}").text)

    client.post(f"/console/plans/{run.id}/reject", data={"csrf": token})

    decided = world.application.sync_ledger().run(run.id)
    assert decided is not None
    assert decided.outcome is RunOutcome.REJECTED
    assert world.seated("acme") == 10


def test_run_now_queues_the_kind_on_the_workers_once_and_shows_its_state(world: ConsoleWorld) -> None:
    client = signed_in(world)
    token = csrf_of(client.get("/console/tenants/acme").text)

    first = client.post("/console/tenants/acme/schedules/membership/run", data={"csrf": token})
    again = client.post("/console/tenants/acme/schedules/membership/run", data={"csrf": token})

    assert first.status_code == again.status_code == 303
    queued = parse_qs(urlsplit(first.headers["location"]).query)["queued"][0]
    assert parse_qs(urlsplit(again.headers["location"]).query)["queued"] == [queued]  # one at a time
    started = run_status(world.application, queued)
    assert started is not None
    assert (started.tenant, started.kind, started.state) == ("acme", SyncKind.MEMBERSHIP, RunState.QUEUED)
    page = client.get(first.headers["location"]).text
    assert f"Run <code>{queued}</code> (membership) is queued on the workers" in page
    assert "queued on the workers" not in client.get("/console/tenants/globex?queued=" + queued).text


def test_text_from_the_ledger_is_escaped(world: ConsoleWorld) -> None:
    world.people["acme"].directory.rows = [MalformedRow(1, "<script>alert(1)</script>", "<b>bad</b>")]
    world.application.tenants().get("acme").sync_membership()(force=False)
    client = signed_in(world)

    page = client.get("/console/tenants/acme").text

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_tenant_page_shows_the_outbox_its_retried_entries_and_the_completions_workday_refused(
    world: ConsoleWorld,
) -> None:
    world.completions("globex", pending=2, retrying=1, refused=2)
    world.clock.advance(timedelta(minutes=90))
    client = signed_in(world)

    page = client.get("/console/tenants/globex").text
    listed = client.get("/console", params={"health": "attention"}).text

    assert "3 completions pending" in page
    assert "1h ago" in page
    assert page.count("Workday answered 503: try again later") == 1
    assert page.count("the learner is not enrolled in the course") == 2
    assert "/console/tenants/globex" in listed


def test_a_process_serving_without_the_application_says_the_console_is_not_here(world: ConsoleWorld) -> None:
    deps = api_dependencies(world.application)
    deps.application = None
    client = TestClient(create_app(deps))

    answer = client.get("/console")

    assert answer.status_code == 503
    assert answer.text == "the console is not served by this process"
