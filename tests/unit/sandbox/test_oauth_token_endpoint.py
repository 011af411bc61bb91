from __future__ import annotations

import threading

import httpx

from sandbox import SandboxConfig, SandboxServer
from tests.unit.sandbox.conftest import isu


def _refresh(client: httpx.Client, server: SandboxServer, refresh_token: str | None = None) -> httpx.Response:
    c = server.config
    return client.post(
        server.token_url,
        data={"grant_type": "refresh_token", "refresh_token": refresh_token or c.refresh_token},
        auth=(c.client_id, c.client_secret),
    )


def test_a_refresh_token_grant_returns_a_bearer_token(sandbox: SandboxServer, client: httpx.Client) -> None:
    response = _refresh(client, sandbox)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["access_token"]
    assert response.headers["cache-control"] == "no-store"
    assert sandbox.tokens.grants == 1


def test_client_credentials_may_come_in_the_form_body(sandbox: SandboxServer, client: httpx.Client) -> None:
    c = sandbox.config
    form = {
        "grant_type": "refresh_token",
        "refresh_token": c.refresh_token,
        "client_id": c.client_id,
        "client_secret": c.client_secret,
    }
    assert client.post(sandbox.token_url, data=form).status_code == 200


def test_a_wrong_refresh_token_is_an_invalid_grant(sandbox: SandboxServer, client: httpx.Client) -> None:
    response = _refresh(client, sandbox, refresh_token="stale")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_wrong_client_is_an_invalid_client(sandbox: SandboxServer, client: httpx.Client) -> None:
    c = sandbox.config
    form = {"grant_type": "refresh_token", "refresh_token": c.refresh_token}
    response = client.post(sandbox.token_url, data=form, auth=(c.client_id, "wrong"))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert client.post(sandbox.token_url, data=form).json()["error"] == "invalid_client"


def test_another_grant_type_is_unsupported(sandbox: SandboxServer, client: httpx.Client) -> None:
    c = sandbox.config
    response = client.post(sandbox.token_url, data={"grant_type": "password"}, auth=(c.client_id, c.client_secret))
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_an_access_token_expires_after_its_ttl(sandbox: SandboxServer, client: httpx.Client) -> None:
    token = _refresh(client, sandbox).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(sandbox.raas_url("xsds"), headers=headers).status_code == 200
    sandbox.clock.advance(3600)
    assert client.get(sandbox.raas_url("xsds"), headers=headers).status_code == 401


def test_a_revoked_access_token_is_refused(sandbox: SandboxServer, client: httpx.Client) -> None:
    token = _refresh(client, sandbox).json()["access_token"]
    sandbox.revoke_tokens()
    response = client.get(sandbox.raas_url("xsds"), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert _refresh(client, sandbox).status_code == 200  # the refresh token still works


def test_a_rotated_refresh_token_replaces_the_old_one(client: httpx.Client) -> None:
    with SandboxServer(SandboxConfig(workers=0, rotate_refresh_tokens=True)) as server:
        first = _refresh(client, server).json()
        assert first["refresh_token"] == server.tokens.current_refresh_token
        assert _refresh(client, server).json()["error"] == "invalid_grant"
        assert _refresh(client, server, refresh_token=first["refresh_token"]).status_code == 200


def test_grants_are_counted_across_concurrent_callers(sandbox: SandboxServer) -> None:
    def call() -> None:
        with httpx.Client() as own:
            _refresh(own, sandbox)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sandbox.tokens.grants == 4


def test_the_isu_may_use_basic_auth_with_or_without_the_tenant(sandbox: SandboxServer, client: httpx.Client) -> None:
    user, password = isu(sandbox)
    assert client.get(sandbox.raas_url("xsds"), auth=(user, password)).status_code == 200
    assert client.get(sandbox.raas_url("xsds"), auth=(f"{user}@acme", password)).status_code == 200
    assert client.get(sandbox.raas_url("xsds"), auth=(user, "wrong")).status_code == 401
    assert client.get(sandbox.raas_url("xsds")).status_code == 401
