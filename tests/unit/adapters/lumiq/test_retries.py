"""Retrying: 429, 5xx, timeouts and connection errors are retried with backoff, honouring Retry-After and
the policy's bounds; no other answer is retried. Sleeps are recorded, never slept."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from returns.result import Failure, Success

from adapters.lumiq import LUMIQ_RETRY
from adapters.retries import RetryPolicy
from domain.members import MemberStatus
from tests.unit.adapters.lumiq.scripted import (
    ScriptedLumiq,
    a_worker,
    domain_member,
    refusal,
    registry_for,
    wire_member,
)

NO_JITTER = replace(LUMIQ_RETRY, jitter=0)


def test_honours_retry_after_on_429_and_503() -> None:
    lumiq = ScriptedLumiq(
        refusal(429, "rate_limited", "slow down", retry_after="7"),
        refusal(503, "unavailable", "maintenance", retry_after="0.25"),
        httpx.Response(200, json=wire_member(1, status="removed")),
    )
    registry, sleeps = registry_for(lumiq, retry=NO_JITTER)

    assert registry.remove(domain_member(1)) == Success(domain_member(1, status=MemberStatus.REMOVED))
    assert sleeps == [7.0, 0.25]
    assert len(lumiq.requests) == 3


@pytest.mark.parametrize(
    "problem",
    [
        httpx.Response(500, json={"error": {"code": "internal", "message": "boom"}}),
        httpx.Response(502, text="Bad Gateway"),
        httpx.ReadTimeout("slow"),
        httpx.ConnectTimeout("slow"),
        httpx.ConnectError("refused"),
        httpx.RemoteProtocolError("server hung up"),
    ],
)
def test_retries_server_errors_timeouts_and_connection_errors(problem: httpx.Response | Exception) -> None:
    lumiq = ScriptedLumiq(problem, httpx.Response(200, json=wire_member(1, status="removed")))
    registry, sleeps = registry_for(lumiq, retry=NO_JITTER)

    assert registry.remove(domain_member(1)) == Success(domain_member(1, status=MemberStatus.REMOVED))
    assert sleeps == [0.5]


def test_backs_off_exponentially_up_to_max_wait_without_retry_after() -> None:
    lumiq = ScriptedLumiq(*[httpx.Response(503) for _ in range(6)])
    registry, sleeps = registry_for(lumiq, retry=RetryPolicy(attempts=6, backoff=1, max_wait=5, jitter=0))

    registry.remove(domain_member(1))

    assert sleeps == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_adds_at_most_the_jitter_to_the_backoff() -> None:
    lumiq = ScriptedLumiq(*[httpx.Response(503) for _ in range(5)])
    registry, sleeps = registry_for(lumiq, retry=RetryPolicy(backoff=1, max_wait=100, jitter=0.5))

    registry.remove(domain_member(1))

    assert [base <= slept <= base + 0.5 for base, slept in zip([1, 2, 4, 8], sleeps, strict=True)] == [True] * 4


@pytest.mark.parametrize(
    ("header", "sleeps"),
    [
        pytest.param("soon", [0.5], id="neither seconds nor a date: the backoff"),
        pytest.param("Sat, 01 Jan 2000 00:00:00 GMT", [0.0], id="an HTTP date past: at once, as Workday's"),
    ],
)
def test_a_retry_after_that_is_not_seconds_is_read_as_an_http_date_or_left_to_the_backoff(
    header: str, sleeps: list[float]
) -> None:
    lumiq = ScriptedLumiq(
        refusal(429, "rate_limited", "slow down", retry_after=header),
        httpx.Response(200, json=wire_member(1, status="removed")),
    )
    registry, slept = registry_for(lumiq, retry=NO_JITTER)

    registry.remove(domain_member(1))

    assert slept == sleeps


def test_gives_up_after_the_attempts_as_a_failure_naming_the_last_problem() -> None:
    lumiq = ScriptedLumiq(*[refusal(503, "unavailable", "maintenance") for _ in range(5)])
    registry, sleeps = registry_for(lumiq, retry=NO_JITTER)

    result = registry.remove(domain_member(1))

    assert result == Failure(
        f"member {domain_member(1).id} (employee 21001): LumiQ did not answer after 5 attempts: 503 unavailable"
    )
    assert (len(lumiq.requests), sleeps) == (5, [0.5, 1.0, 2.0, 4.0])


def test_gives_up_as_a_failure_when_timeouts_persist() -> None:
    lumiq = ScriptedLumiq(*[httpx.ReadTimeout("slow") for _ in range(2)])
    registry, _ = registry_for(lumiq, retry=replace(LUMIQ_RETRY, attempts=2, jitter=0))

    result = registry.invite(a_worker(1))

    assert result == Failure("worker 21001: LumiQ did not answer after 2 attempts: timed out")


def test_stops_rather_than_wait_past_the_total_wait() -> None:
    lumiq = ScriptedLumiq(
        refusal(429, "rate_limited", "slow down", retry_after="20"),
        refusal(429, "rate_limited", "slow down", retry_after="20"),
    )
    registry, sleeps = registry_for(lumiq, retry=replace(LUMIQ_RETRY, max_total_wait=30, jitter=0))

    result = registry.remove(domain_member(1))

    assert sleeps == [20.0]
    assert len(lumiq.requests) == 2
    assert "after 2 attempts: 429 rate_limited" in result.failure()


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 410, 422])
def test_never_retries_another_4xx(status: int) -> None:
    lumiq = ScriptedLumiq(refusal(status, "refused", "no"))
    registry, sleeps = registry_for(lumiq)

    assert isinstance(registry.remove(domain_member(1)), Failure)
    assert (len(lumiq.requests), sleeps) == (1, [])


def test_a_retried_invitation_reuses_its_idempotency_key() -> None:
    lumiq = ScriptedLumiq(
        httpx.ReadTimeout("the first may have arrived"),
        refusal(503, "unavailable", "maintenance", retry_after="1"),
        httpx.Response(201, json=wire_member(1, status="invited")),
    )
    registry, _ = registry_for(lumiq, retry=NO_JITTER)

    assert registry.invite(a_worker(1)) == Success(domain_member(1, status=MemberStatus.INVITED))
    keys = {r.headers["Idempotency-Key"] for r in lumiq.requests}
    assert len(lumiq.requests) == 3
    assert len(keys) == 1
    assert lumiq.bodies()[0] == lumiq.bodies()[2]
