from tests.factories import a_worker
from tests.unit.http.world import World


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
