from __future__ import annotations

import logging
import socket

import httpx
import pytest

from sandbox import SandboxConfig, SandboxServer
from tests.unit.sandbox.conftest import isu, lumiq_headers


def test_fail_next_answers_the_next_requests_in_order_then_recovers(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox.faults.fail_next = [503, 429, 500]
    statuses = [client.get(sandbox.raas_url("xsds"), auth=isu(sandbox)) for _ in range(4)]
    assert [r.status_code for r in statuses] == [503, 429, 500, 200]
    assert statuses[0].headers["retry-after"] == "1"
    assert statuses[1].headers["retry-after"] == "1"
    assert "retry-after" not in statuses[2].headers


def test_faults_on_the_provider_side_use_its_error_shape(sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox.faults.fail_next = [429]
    response = client.get(f"{sandbox.lumiq_url}/v1/members", headers=lumiq_headers(sandbox))
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert response.headers["retry-after"] == "1"


def test_an_error_rate_of_one_fails_every_request_with_a_configured_status(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    sandbox.faults.error_rate = 1.0
    sandbox.faults.error_statuses = (502,)
    assert {client.get(sandbox.raas_url("xsds"), auth=isu(sandbox)).status_code for _ in range(5)} == {502}
    sandbox.faults.error_rate = 0.0
    assert client.get(sandbox.raas_url("xsds"), auth=isu(sandbox)).status_code == 200


def test_faults_can_be_limited_to_one_side(sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox.faults.only = "lumiq"
    sandbox.faults.error_rate = 1.0
    assert client.get(sandbox.raas_url("xsds"), auth=isu(sandbox)).status_code == 200
    assert client.get(f"{sandbox.lumiq_url}/v1/members", headers=lumiq_headers(sandbox)).status_code >= 429


def test_requests_are_counted_per_side(sandbox: SandboxServer, client: httpx.Client) -> None:
    client.get(sandbox.raas_url("xsds"), auth=isu(sandbox))
    client.get(f"{sandbox.lumiq_url}/v1/members", headers=lumiq_headers(sandbox))
    client.get(f"{sandbox.lumiq_url}/v1/members", headers=lumiq_headers(sandbox))
    assert (sandbox.counts.total("workday"), sandbox.counts.total("lumiq")) == (1, 2)
    assert sum(sandbox.counts.per_second("lumiq").values()) == 2
    assert sandbox.counts.by_path("GET", "/lumiq/v1/members") == 2


def test_latency_is_added_to_every_response(sandbox: SandboxServer, client: httpx.Client) -> None:
    sandbox.faults.latency_ms = 60
    response = client.get(sandbox.raas_url("xsds"), auth=isu(sandbox))
    assert response.elapsed.total_seconds() >= 0.06


def test_a_client_hanging_up_mid_body_is_not_an_error_and_the_sandbox_answers_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A worker killed while it sends a request leaves the sandbox half a body: nobody to answer, nothing to log."""
    caplog.set_level(logging.ERROR)
    with SandboxServer(SandboxConfig(workers=5, completions=0)) as server:
        # uvicorn's loggers, configured as it starts, do not propagate to the root's
        logging.getLogger("uvicorn.error").addHandler(caplog.handler)
        with socket.create_connection(("127.0.0.1", server.port)) as hung_up:
            path = f"/ccx/service/{server.config.tenant}/Learning/v44.2"
            hung_up.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n<env:".encode())
        assert httpx.get(server.learning_url() + "?wsdl", timeout=10).status_code == 200
        server.stop()  # the server's own loop has run the hung-up request's handler to its end by now

    logging.getLogger("uvicorn.error").removeHandler(caplog.handler)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
