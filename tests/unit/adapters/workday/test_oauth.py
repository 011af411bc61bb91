from __future__ import annotations

import base64
import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs

import httpx
import pytest
from pydantic import SecretStr

from adapters.workday.auth.flows import WorkdayBearerAuth, isu_basic_auth
from adapters.workday.auth.tokens import ClientAuthStyle, RefreshTokenProvider, workday_token_url
from adapters.workday.errors import ClientRejected, RaasReportError, RefreshTokenRejected, TokenEndpointError
from adapters.workday.raas.directory import RaasWorkerDirectory
from domain.errors import LedgerUnavailable

from .reports import REPORT_URL, json_body

TOKEN_URL = workday_token_url("wd2-impl-services1.workday.com", "acme")
SECRET = "s3cr3t-client-secret"
REFRESH = "r3fr3sh-token-value"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def token_response(access: str, **extra: object) -> httpx.Response:
    return httpx.Response(200, json={"access_token": access, "token_type": "Bearer", **extra})


class Keeper:
    """A ``RefreshTokenKeeper`` in memory, recording what happened in which order."""

    def __init__(self, latest: str | None = None) -> None:
        self.kept: str | None = latest
        self.events: list[str] = []
        self.failing_keeps = 0
        self.down = False

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        self.events.append("hold")
        try:
            yield
        finally:
            self.events.append("release")

    def latest(self) -> SecretStr | None:
        self.events.append("read")
        if self.down:
            raise LedgerUnavailable("the ledger is unavailable")
        return None if self.kept is None else SecretStr(self.kept)

    def keep(self, token: SecretStr) -> None:
        self.events.append(f"keep {token.get_secret_value()}")
        if self.failing_keeps:
            self.failing_keeps -= 1
            raise LedgerUnavailable("database is locked")
        self.kept = token.get_secret_value()


def provider(
    handler: Callable[[httpx.Request], httpx.Response],
    clock: Callable[[], float] | None = None,
    client_auth: ClientAuthStyle = ClientAuthStyle.BASIC,
    keeper: Keeper | None = None,
) -> RefreshTokenProvider:
    return RefreshTokenProvider(
        httpx.Client(transport=httpx.MockTransport(handler)),
        TOKEN_URL,
        "client-uuid",
        SecretStr(SECRET),
        SecretStr(REFRESH),
        client_auth=client_auth,
        clock=clock or Clock(),
        keeper=keeper,
    )


def recording(requests: list[httpx.Request], access: str) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return token_response(access)

    return handler


def form(request: httpx.Request) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(request.content.decode()).items()}


def test_the_token_url_is_the_tenants_ccx_oauth2_endpoint() -> None:
    assert TOKEN_URL == "https://wd2-impl-services1.workday.com/ccx/oauth2/acme/token"


def test_client_credentials_go_in_a_basic_header_by_default() -> None:
    requests: list[httpx.Request] = []
    tokens = provider(recording(requests, "t1"))

    assert tokens.access_token().get_secret_value() == "t1"

    (request,) = requests
    assert request.url == TOKEN_URL
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(f"client-uuid:{SECRET}".encode()).decode()
    assert form(request) == {"grant_type": "refresh_token", "refresh_token": REFRESH}


def test_client_credentials_can_go_in_the_body() -> None:
    requests: list[httpx.Request] = []
    tokens = provider(recording(requests, "t1"), client_auth=ClientAuthStyle.BODY)

    tokens.access_token()

    (request,) = requests
    assert "Authorization" not in request.headers
    assert form(request) == {
        "grant_type": "refresh_token",
        "refresh_token": REFRESH,
        "client_id": "client-uuid",
        "client_secret": SECRET,
    }


def test_the_token_is_reused_until_shortly_before_it_expires() -> None:
    clock = Clock()
    issued = iter(["t1", "t2"])
    tokens = provider(lambda _: token_response(next(issued), expires_in=3600), clock)

    assert tokens.access_token().get_secret_value() == "t1"
    clock.now += 3600 - 61
    assert tokens.access_token().get_secret_value() == "t1"
    clock.now += 2
    assert tokens.access_token().get_secret_value() == "t2"


def test_a_token_response_without_expires_in_is_taken_to_last_an_hour() -> None:
    clock = Clock()
    issued = iter(["t1", "t2"])
    tokens = provider(lambda _: token_response(next(issued)), clock)

    tokens.access_token()
    clock.now += 3500
    assert tokens.access_token().get_secret_value() == "t1"
    clock.now += 100
    assert tokens.access_token().get_secret_value() == "t2"


def test_invalidate_forces_a_refresh() -> None:
    issued = iter(["t1", "t2"])
    tokens = provider(lambda _: token_response(next(issued)))

    first = tokens.access_token()
    tokens.invalidate()

    assert tokens.access_token().get_secret_value() == "t2"
    tokens.invalidate(first)  # an older token being rejected does not throw away the newer one
    assert tokens.access_token().get_secret_value() == "t2"


def test_a_rotated_refresh_token_replaces_the_old_one_and_is_kept() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return token_response(f"t{len(requests)}", refresh_token=f"rotated-{len(requests)}")

    keeper = Keeper()
    tokens = provider(handler, keeper=keeper)
    tokens.access_token()
    tokens.invalidate()
    tokens.access_token()

    assert [form(request)["refresh_token"] for request in requests] == [REFRESH, "rotated-1"]
    assert keeper.events == ["hold", "read", "keep rotated-1", "release"] * 1 + [
        "hold",
        "read",
        "keep rotated-2",
        "release",
    ]


def test_a_refresh_starts_from_the_token_another_process_kept() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return token_response(f"t{len(requests)}", refresh_token=f"mine-{len(requests)}")

    keeper = Keeper()
    tokens = provider(handler, keeper=keeper)
    tokens.access_token()
    keeper.kept = "rotated-by-another-process"
    tokens.invalidate()
    tokens.access_token()

    assert [form(request)["refresh_token"] for request in requests] == [REFRESH, "rotated-by-another-process"]
    assert keeper.kept == "mine-2"


def test_without_rotation_nothing_is_kept() -> None:
    keeper = Keeper()
    tokens = provider(lambda request: token_response("t1"), keeper=keeper)

    assert tokens.access_token().get_secret_value() == "t1"
    assert keeper.kept is None
    assert keeper.events == ["hold", "read", "release"]


class Observer:
    """A ``RefreshObserver`` that writes into the keeper's record, as the ledger's would beside the keeper's."""

    def __init__(self, keeper: Keeper) -> None:
        self._keeper = keeper

    def granted(self) -> None:
        self._keeper.events.append("granted")

    def refused(self, reason: str) -> None:
        self._keeper.events.append("refused")


@pytest.mark.parametrize(
    ("answer", "told"),
    [(token_response("t1"), "granted"), (httpx.Response(400, json={"error": "invalid_grant"}), "refused")],
)
def test_the_observer_is_told_of_a_grant_or_refusal_once_the_keepers_exclusion_is_let_go(
    answer: httpx.Response, told: str
) -> None:
    keeper = Keeper()
    tokens = RefreshTokenProvider(
        httpx.Client(transport=httpx.MockTransport(lambda request: answer)),
        TOKEN_URL,
        "client-uuid",
        SecretStr(SECRET),
        SecretStr(REFRESH),
        keeper=keeper,
        observer=Observer(keeper),
    )

    with contextlib.suppress(RefreshTokenRejected):
        tokens.access_token()

    assert keeper.events == ["hold", "read", "release", told]


def test_eight_concurrent_callers_share_one_refresh() -> None:
    callers = 8
    in_token_request = threading.Event()
    release = threading.Event()
    token_requests = 0
    clock_calls = 0
    clock_called = threading.Condition()

    def clock() -> float:
        nonlocal clock_calls
        with clock_called:
            clock_calls += 1
            clock_called.notify_all()
        return 1000.0

    def handler(_: httpx.Request) -> httpx.Response:
        nonlocal token_requests
        token_requests += 1
        in_token_request.set()
        assert release.wait(timeout=10)
        return token_response("shared")

    tokens = provider(handler, clock)
    start = threading.Barrier(callers)
    results: list[str] = []

    def call() -> None:
        start.wait()
        results.append(tokens.access_token().get_secret_value())

    threads = [threading.Thread(target=call) for _ in range(callers)]
    for thread in threads:
        thread.start()
    assert in_token_request.wait(timeout=10)
    with clock_called:
        # Every caller has looked at the (empty) cache and is now queued on the lock, or about to be.
        assert clock_called.wait_for(lambda: clock_calls >= callers + 1, timeout=10)
    release.set()
    for thread in threads:
        thread.join(timeout=10)

    assert token_requests == 1
    assert results == ["shared"] * callers


def test_invalid_grant_says_to_generate_a_new_refresh_token() -> None:
    tokens = provider(lambda _: httpx.Response(400, json={"error": "invalid_grant"}))

    with pytest.raises(RefreshTokenRejected) as raised:
        tokens.access_token()

    assert str(raised.value) == (
        "refresh token expired or revoked: generate a new one in Workday (Manage Refresh Tokens for Integrations)"
    )


def test_invalid_client_mentions_the_base64_client_id_quirk() -> None:
    tokens = provider(lambda _: httpx.Response(401, json={"error": "invalid_client"}))

    with pytest.raises(ClientRejected, match="Base64-encoded, use the UUID"):
        tokens.access_token()


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(400, json={"error": "unsupported_grant_type", "error_description": f"bad {SECRET}"}),
        httpx.Response(502, text=f"<html>upstream error {REFRESH}</html>"),
        httpx.Response(200, json={"token_type": "Bearer"}),
        httpx.Response(200, text="not json"),
    ],
)
def test_other_token_endpoint_failures_carry_no_secret(response: httpx.Response) -> None:
    tokens = provider(lambda _: response)

    with pytest.raises(TokenEndpointError) as raised:
        tokens.access_token()

    assert SECRET not in str(raised.value)
    assert REFRESH not in str(raised.value)


def test_an_unreachable_token_endpoint_is_a_token_endpoint_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(TokenEndpointError, match="could not be reached: ConnectError"):
        provider(handler).access_token()


def test_no_secret_appears_in_reprs() -> None:
    tokens = provider(lambda _: token_response("the-access-token"))
    tokens.access_token()

    text = repr(tokens) + repr(WorkdayBearerAuth(tokens)) + repr(isu_basic_auth("isu@acme", SecretStr("pw-123")))

    for secret in (SECRET, REFRESH, "the-access-token", "pw-123"):
        assert secret not in text


class Tenant:
    """A token endpoint and a report that accepts only the tokens it lists as valid."""

    def __init__(self, valid_tokens: set[str]) -> None:
        self.valid_tokens = valid_tokens
        self.token_requests = 0
        self.report_requests: list[str] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url == TOKEN_URL:
            self.token_requests += 1
            return token_response(f"t{self.token_requests}")
        self.report_requests.append(request.headers["Authorization"])
        if request.headers["Authorization"].removeprefix("Bearer ") not in self.valid_tokens:
            return httpx.Response(401, json={"error": "invalid token"})
        return httpx.Response(200, content=json_body([]))

    def report(self) -> RaasWorkerDirectory:
        client = httpx.Client(transport=httpx.MockTransport(self.handle))
        tokens = RefreshTokenProvider(client, TOKEN_URL, "client-uuid", SecretStr(SECRET), SecretStr(REFRESH))
        return RaasWorkerDirectory(client, REPORT_URL, auth=WorkdayBearerAuth(tokens))


def test_a_401_forces_one_refresh_and_the_request_is_retried_with_the_new_token() -> None:
    tenant = Tenant(valid_tokens={"t2"})

    assert list(tenant.report().entries()) == []

    assert tenant.token_requests == 2
    assert tenant.report_requests == ["Bearer t1", "Bearer t2"]


def test_a_second_401_is_not_retried_again() -> None:
    tenant = Tenant(valid_tokens=set())

    with pytest.raises(RaasReportError, match="HTTP 401"):
        list(tenant.report().entries())

    assert tenant.token_requests == 2
    assert tenant.report_requests == ["Bearer t1", "Bearer t2"]


def test_a_rejected_refresh_token_while_reading_the_report_is_a_report_error_with_the_same_advice() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": "invalid_grant"})

    client = httpx.Client(transport=httpx.MockTransport(handle))
    tokens = RefreshTokenProvider(client, TOKEN_URL, "client-uuid", SecretStr(SECRET), SecretStr(REFRESH))

    with pytest.raises(RaasReportError, match=r"Manage Refresh Tokens for Integrations") as raised:
        list(RaasWorkerDirectory(client, REPORT_URL, auth=WorkdayBearerAuth(tokens)).entries())

    assert isinstance(raised.value.__cause__, RefreshTokenRejected)


def test_isu_basic_auth_sends_the_username_as_given() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=json.dumps({"Report_Entry": []}).encode())

    client = httpx.Client(transport=httpx.MockTransport(handle))
    list(RaasWorkerDirectory(client, REPORT_URL, auth=isu_basic_auth("ISU_LumiQ@acme", SecretStr("pw"))).entries())

    assert seen[0].headers["Authorization"] == "Basic " + base64.b64encode(b"ISU_LumiQ@acme:pw").decode()


def rotating_tenant(requests: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    """A token endpoint that rotates the refresh token at every grant and refuses the ones it replaced."""
    valid = [REFRESH]

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if form(request)["refresh_token"] != valid[-1]:
            return httpx.Response(400, json={"error": "invalid_grant"})
        valid.append(f"rotated-{len(requests)}")
        return token_response(f"t{len(requests)}", refresh_token=valid[-1])

    return handler


def test_a_rotated_token_the_ledger_failed_to_keep_is_used_and_kept_at_the_next_refresh() -> None:
    requests: list[httpx.Request] = []
    keeper = Keeper()
    keeper.failing_keeps = 1
    tokens = provider(rotating_tenant(requests), keeper=keeper)

    assert tokens.access_token().get_secret_value() == "t1"  # the keep failed; the access token is still good
    tokens.invalidate()
    assert tokens.access_token().get_secret_value() == "t2"  # refreshed with the token in memory, not the kept one

    assert [form(request)["refresh_token"] for request in requests] == [REFRESH, "rotated-1"]
    assert keeper.kept == "rotated-2"


def test_an_unavailable_ledger_does_not_stop_a_tenant_that_never_rotated() -> None:
    keeper = Keeper()
    keeper.down = True
    tokens = provider(lambda request: token_response("t1"), keeper=keeper)

    assert tokens.access_token().get_secret_value() == "t1"


def test_an_unavailable_ledger_stops_a_refresh_once_the_tenant_is_seen_to_rotate() -> None:
    requests: list[httpx.Request] = []
    keeper = Keeper()
    tokens = provider(rotating_tenant(requests), keeper=keeper)
    tokens.access_token()
    keeper.down = True
    tokens.invalidate()

    with pytest.raises(LedgerUnavailable):
        tokens.access_token()
    assert len(requests) == 1  # nothing sent with a token another process may have rotated away
