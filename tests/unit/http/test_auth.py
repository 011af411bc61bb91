import base64
from datetime import timedelta
from pathlib import Path

import pytest

from tests.unit.http.world import NOW, World

CATEGORIES = "/unified/lms/categories"


def _basic(key: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:".encode()).decode()


def test_no_key_is_a_401_with_a_challenge(world: World) -> None:
    response = world.client.get(CATEGORIES, headers={"x-account-id": "acme"})

    assert response.status_code == 401
    assert "Bearer" in response.headers["www-authenticate"]
    assert response.json()["statusCode"] == 401


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer wlc_000000000000_" + "A" * 43,
        "Bearer not-a-key",
        "Basic !!!",
        "Token abc",
        _basic(""),
    ],
)
def test_a_wrong_or_malformed_key_is_a_401(world: World, authorization: str) -> None:
    response = world.client.get(CATEGORIES, headers={"Authorization": authorization, "x-account-id": "acme"})

    assert response.status_code == 401


def test_a_key_with_a_changed_secret_is_a_401(world: World) -> None:
    tampered = world.acme_key[:-1] + ("A" if world.acme_key[-1] != "A" else "B")

    assert world.client.get(CATEGORIES, headers=world.as_acme(tampered)).status_code == 401


def test_an_expired_key_is_a_401(world: World) -> None:
    _, key = world.keys.create(["acme"], NOW, expires_at=NOW + timedelta(days=1))
    assert world.client.get(CATEGORIES, headers=world.as_acme(key)).status_code == 200

    world.clock.advance(timedelta(days=1))

    assert world.client.get(CATEGORIES, headers=world.as_acme(key)).status_code == 401


def test_a_revoked_key_is_a_401(world: World) -> None:
    record, key = world.keys.create(["acme"], NOW)
    world.keys.revoke(record.id, NOW)

    assert world.client.get(CATEGORIES, headers=world.as_acme(key)).status_code == 401


def test_a_key_used_on_another_account_is_a_403(world: World) -> None:
    response = world.client.get(
        CATEGORIES, headers={"Authorization": f"Bearer {world.globex_key}", "x-account-id": "acme"}
    )

    assert response.status_code == 403
    assert "acme" in response.json()["message"]


def test_an_account_not_configured_is_a_403_even_for_a_key_bound_to_it(world: World) -> None:
    _, key = world.keys.create(["initech"], NOW)
    response = world.client.get(CATEGORIES, headers={"Authorization": f"Bearer {key}", "x-account-id": "initech"})

    assert response.status_code == 403


def test_the_right_key_works_as_bearer_or_as_stackones_basic(world: World) -> None:
    bearer = world.client.get(CATEGORIES, headers=world.as_acme())
    basic = world.client.get(CATEGORIES, headers={"Authorization": _basic(world.acme_key), "x-account-id": "acme"})

    assert bearer.status_code == basic.status_code == 200


def test_the_account_header_may_be_left_out_only_for_a_key_of_one_account(world: World) -> None:
    one = world.client.get(CATEGORIES, headers={"Authorization": f"Bearer {world.acme_key}"})
    several = world.client.get(CATEGORIES, headers={"Authorization": f"Bearer {world.both_key}"})
    chosen = world.client.get(
        CATEGORIES, headers={"Authorization": f"Bearer {world.both_key}", "x-account-id": "globex"}
    )

    assert (one.status_code, several.status_code, chosen.status_code) == (200, 400, 200)


def test_keys_are_stored_hashed_the_raw_key_is_nowhere_in_the_database(world: World, tmp_path: Path) -> None:
    world.client.get(CATEGORIES, headers=world.as_acme())
    stored = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.name.startswith("ledger"))

    for key in (world.acme_key, world.globex_key, world.both_key):
        secret = key.split("_", 2)[2]  # wlc_<id>_<secret>; the secret itself may hold "_"
        assert secret.encode() not in stored
    assert world.keys.verify(world.acme_key, NOW) is not None


def test_health_and_docs_need_no_key(world: World) -> None:
    assert world.client.get("/healthz").json() == {"status": "ok"}
    assert world.client.get("/readyz").json() == {"status": "ready"}
    schema = world.client.get("/openapi.json").json()
    assert schema["info"]["title"] == "wlc"
    assert world.client.get("/docs").status_code == 200
