from tests.factories import a_worker
from tests.unit.http.world import COMPLETION, World


def test_a_membership_sync_is_a_dry_run_unless_asked_to_apply(world: World) -> None:
    world.tenants["acme"].directory.rows.extend([a_worker(), a_worker()])

    dry = world.client.post("/sync/membership", headers=world.as_acme())

    assert dry.status_code == 200, dry.text
    assert dry.json()["dry_run"] is True
    assert dry.json()["summary"]["invite"] == 2
    assert list(world.tenants["acme"].members.members()) == []


def test_an_applied_membership_sync_returns_its_run_which_can_be_read_again(world: World) -> None:
    world.tenants["acme"].directory.rows.extend([a_worker(), a_worker()])

    applied = world.client.post("/sync/membership", json={"apply": True}, headers=world.as_acme())

    assert applied.status_code == 200, applied.text
    run = applied.json()["run"]
    assert (run["outcome"], run["counts"]["invite"]) == ("succeeded", 2)
    assert len(list(world.tenants["acme"].members.members())) == 2
    again = world.client.get(f"/runs/{run['id']}", headers=world.as_acme())
    assert again.json() == run


def test_a_run_of_another_account_is_not_found(world: World) -> None:
    applied = world.client.post("/sync/membership", json={"apply": True}, headers=world.as_acme())
    run_id = applied.json()["run"]["id"]

    assert world.client.get(f"/runs/{run_id}", headers=world.headers_for("globex")).status_code == 404
    assert world.client.get("/runs/99", headers=world.as_acme()).status_code == 404


def test_a_transcript_sync_returns_its_run(world: World) -> None:
    response = world.client.post("/sync/transcripts", json={}, headers=world.as_acme())

    assert response.status_code == 200, response.text
    assert response.json()["run"]["kind"] == "transcripts"


def test_reconcile_is_a_dry_run_unless_asked_to_fix_and_a_fix_is_a_run(world: World) -> None:
    world.seed_course()
    posted = world.client.post("/unified/lms/users/E00042/completions", json=COMPLETION, headers=world.as_acme())
    assert posted.status_code == 202, posted.text
    world.worker.drain()
    acme = world.tenants["acme"]
    (enrollment,) = acme.enrollments.enrollments("E00042", None)
    acme.enrollments.rescind(enrollment).unwrap()  # an administrator rescinds it in Workday

    dry = world.client.post("/sync/reconcile", headers=world.as_acme())

    assert dry.status_code == 200, dry.text
    assert dry.json()["run"] is None
    (missing,) = dry.json()["discrepancies"]
    assert (missing["finding"], missing["learner_id"], missing["fix"], missing["fixed"]) == (
        "missing",
        "E00042",
        "push",
        None,
    )

    fixed = world.client.post("/sync/reconcile", json={"fix": True}, headers=world.as_acme())

    assert fixed.status_code == 200, fixed.text
    run = fixed.json()["run"]
    assert (run["kind"], run["outcome"], run["counts"]["corrected"]) == ("reconcile", "succeeded", 1)
    assert [d["fixed"] for d in fixed.json()["discrepancies"]] == [True]
    assert world.client.get(f"/runs/{run['id']}", headers=world.as_acme()).json() == run
    again = world.client.post("/sync/reconcile", headers=world.as_acme())
    assert (again.json()["discrepancies"], again.json()["matched"]) == ([], 1)


def test_reconcile_refuses_a_course_reference_that_is_empty(world: World) -> None:
    response = world.client.post("/sync/reconcile", json={"courses": [""]}, headers=world.as_acme())

    assert response.status_code == 422
    assert "courses" in response.text


def test_reconcile_reports_a_completion_workday_refused_with_its_reason_and_no_fix(world: World) -> None:
    world.seed_course()
    world.tenants["acme"].enrollments.learners = {"E00042"}
    posted = world.client.post("/unified/lms/users/NOBODY/completions", json=COMPLETION, headers=world.as_acme())
    assert posted.status_code == 202, posted.text
    world.worker.drain()

    fixed = world.client.post("/sync/reconcile", json={"fix": True}, headers=world.as_acme())

    assert fixed.status_code == 200, fixed.text
    (refused,) = fixed.json()["discrepancies"]
    assert (refused["finding"], refused["fix"], refused["fixed"]) == ("refused", None, None)
    assert "NOBODY" in refused["refusal"]
    assert refused["refused_at"] is not None
    assert fixed.json()["run"]["outcome"] == "succeeded"


def test_reconcile_names_a_course_asked_for_that_workday_does_not_have(world: World) -> None:
    response = world.client.post("/sync/reconcile", json={"courses": ["NO-SUCH-COURSE"]}, headers=world.as_acme())

    assert response.status_code == 200, response.text
    assert response.json()["unknown_courses"] == ["NO-SUCH-COURSE"]
