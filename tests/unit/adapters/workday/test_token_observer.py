"""A refresh token's grants and refusals are recorded for the tenant's status and alerts."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from adapters.fakes.clock import FixedClock
from adapters.fakes.token_health import InMemoryTokenHealthRecord
from adapters.workday.auth.token_observer import RecordingRefreshObserver
from adapters.workday.auth.tokens import RefreshTokenProvider, workday_token_url
from adapters.workday.errors import ClientRejected, RefreshTokenRejected, TokenEndpointError
from domain.errors import LedgerUnavailable
from domain.tenant_status import TokenStatus

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def tokens(
    handler: Callable[[httpx.Request], httpx.Response], record: InMemoryTokenHealthRecord, clock: FixedClock
) -> RefreshTokenProvider:
    return RefreshTokenProvider(
        httpx.Client(transport=httpx.MockTransport(handler)),
        workday_token_url("wd2-impl-services1.workday.com", "acme"),
        "client-uuid",
        SecretStr("client-secret"),
        SecretStr("refresh-token"),
        observer=RecordingRefreshObserver(record, "acme", clock),
    )


def test_a_grant_is_recorded_at_the_clocks_time() -> None:
    record, clock = InMemoryTokenHealthRecord(), FixedClock(NOW)

    tokens(lambda _: httpx.Response(200, json={"access_token": "a"}), record, clock).access_token()

    assert record.statuses(["acme"]) == {"acme": TokenStatus(last_success=NOW)}


@pytest.mark.parametrize(
    ("error", "raised"), [("invalid_grant", RefreshTokenRejected), ("invalid_client", ClientRejected)]
)
def test_a_refused_refresh_token_or_client_is_recorded_with_the_reason(error: str, raised: type[Exception]) -> None:
    record, clock = InMemoryTokenHealthRecord(), FixedClock(NOW)
    answers = iter([httpx.Response(200, json={"access_token": "a", "expires_in": 1})])

    def handler(_: httpx.Request) -> httpx.Response:
        return next(answers, httpx.Response(400, json={"error": error}))

    provider = tokens(handler, record, clock)
    provider.access_token()
    clock.advance(timedelta(minutes=5))
    provider.invalidate()
    with pytest.raises(raised) as refused:
        provider.access_token()

    status = record.statuses(["acme"])["acme"]
    assert (status.last_success, status.last_refusal, status.refusal) == (NOW, clock.now(), str(refused.value))
    assert status.refused


def test_an_unreachable_or_failing_token_endpoint_is_not_a_refusal() -> None:
    record, clock = InMemoryTokenHealthRecord(), FixedClock(NOW)

    with pytest.raises(TokenEndpointError):
        tokens(lambda _: httpx.Response(503, text="down"), record, clock).access_token()

    assert record.statuses(["acme"]) == {}


class DownRecord(InMemoryTokenHealthRecord):
    def granted(self, tenant: str, at: datetime) -> None:
        raise LedgerUnavailable("database is locked")

    def statuses(self, tenants: Collection[str]) -> dict[str, TokenStatus]:
        raise LedgerUnavailable("database is locked")


def test_a_record_that_cannot_be_written_does_not_stop_the_grant() -> None:
    provider = tokens(lambda _: httpx.Response(200, json={"access_token": "a"}), DownRecord(), FixedClock(NOW))

    assert provider.access_token().get_secret_value() == "a"
