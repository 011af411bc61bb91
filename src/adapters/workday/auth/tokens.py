"""Access to Workday with OAuth2: an access token from an "API Client for Integrations" refresh token, cached,
refreshed, and the rotated refresh token kept where every process finds it. The ``httpx`` auth flows that put the
token on requests are in ``flows``."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Protocol

import httpx
from pydantic import SecretStr

from adapters.workday.errors import ClientRejected, RefreshTokenRejected, TokenEndpointError, excerpt
from domain.errors import LedgerUnavailable

_log = logging.getLogger(__name__)

DEFAULT_EXPIRES_IN: Final = 3600
"""Seconds an access token lasts when the token response does not say (Workday's tokens last about 1 h)."""

TOKEN_TIMEOUT: Final = httpx.Timeout(30.0)


def workday_token_url(host: str, tenant: str) -> str:
    """The tenant's token endpoint, as View API Clients shows it."""
    return f"https://{host}/ccx/oauth2/{tenant}/token"


class ClientAuthStyle(StrEnum):
    """Where the client id and secret go on a token request."""

    BASIC = "basic"
    """In an ``Authorization: Basic`` header."""
    BODY = "body"
    """As ``client_id`` and ``client_secret`` form fields."""


@dataclass(frozen=True, slots=True)
class _CachedToken:
    value: SecretStr
    good_until: float

    def is_fresh(self, now: float) -> bool:
        return now < self.good_until


class RefreshTokenKeeper(Protocol):
    """Where a tenant's refresh token is kept for every process that uses it. A tenant may rotate its refresh
    token at each grant, and a rotated-away token is refused: the processes of one connector (the API, its
    delivery, a CLI run) must each refresh with the latest, one at a time."""

    def exclusive(self) -> AbstractContextManager[None]:
        """Held around a refresh: no other process refreshes this tenant's token meanwhile."""
        ...

    def latest(self) -> SecretStr | None:
        """The latest refresh token kept, or None when none was (the configured one is the latest)."""
        ...

    def keep(self, token: SecretStr) -> None:
        """Keeps the token the tenant rotated to."""
        ...


class RefreshObserver(Protocol):
    """Told each time Workday grants an access token for the refresh token, or refuses the refresh token or the
    client (``RefreshTokenRejected``, ``ClientRejected``): what makes a refused token visible to the people who run
    the connector. An unreachable endpoint is neither. It must not raise."""

    def granted(self) -> None: ...

    def refused(self, reason: str) -> None: ...


class RefreshTokenProvider:
    """Access tokens from Workday's ``refresh_token`` grant, cached until shortly before they expire.

    Thread-safe: when the cached token is stale, one caller refreshes it and the callers that waited meanwhile
    reuse the fresh token. A rotated refresh token in a token response replaces the old one in memory and, given
    a ``keeper``, is kept there; with a keeper each refresh starts from the latest token kept, under the keeper's
    exclusion, so processes sharing a keeper never refresh with a token another has rotated away.
    """

    def __init__(
        self,
        client: httpx.Client,
        token_url: str,
        client_id: str,
        client_secret: SecretStr,
        refresh_token: SecretStr,
        *,
        client_auth: ClientAuthStyle = ClientAuthStyle.BASIC,
        leeway: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        keeper: RefreshTokenKeeper | None = None,
        timeout: httpx.Timeout = TOKEN_TIMEOUT,
        observer: RefreshObserver | None = None,
    ) -> None:
        self._client = client
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._refresh_token = refresh_token
        self._client_auth = client_auth
        self._leeway = leeway
        self._clock = clock
        self._keeper = keeper
        self._rotation_seen = False
        """The tenant rotates refresh tokens (this process saw a rotation, or a token kept by another)."""
        self._unsaved = False
        """The token in memory is one the tenant rotated to that the keeper failed to keep: the newest there is."""
        self._timeout = timeout
        self._observer = observer
        self._lock = threading.Lock()
        self._token: _CachedToken | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(token_url={self._token_url!r}, client_auth={self._client_auth.value!r})"

    def access_token(self) -> SecretStr:
        """A token that is valid for at least ``leeway`` more seconds; refreshes it if needed.

        Raises ``RefreshTokenRejected``, ``ClientRejected`` or ``TokenEndpointError``.
        """
        now = self._clock()
        cached = self._token
        if cached is not None and cached.is_fresh(now):
            return cached.value
        with self._lock:
            cached = self._token
            if cached is not None and cached.is_fresh(self._clock()):
                return cached.value
            # The observer is told once the keeper's exclusion is let go: it may write to the ledger, and a refresh
            # holding a connection of the ledger's pool while asking for another can wait on others doing the same.
            try:
                fresh = self._refreshed()
            except (RefreshTokenRejected, ClientRejected) as refusal:
                if self._observer is not None:
                    self._observer.refused(str(refusal))
                raise
            if self._observer is not None:
                self._observer.granted()
            self._token = fresh
            return fresh.value

    def _refreshed(self) -> _CachedToken:
        keeper = self._keeper
        if keeper is None:
            return self._request_token()
        try:
            with keeper.exclusive():
                self._catch_up(keeper)
                return self._request_token()
        except LedgerUnavailable as down:
            if self._rotation_seen:
                # A token another process may have rotated away could be refused, or taken for a stolen one.
                raise
            _log.warning("the ledger that keeps refresh tokens is unavailable (%s): refreshing with this one", down)
            return self._request_token()

    def _catch_up(self, keeper: RefreshTokenKeeper) -> None:
        """Takes the latest token kept, unless the one in memory is newer (rotated to, and not yet kept)."""
        if self._unsaved:
            self._save(keeper)
        if self._unsaved:
            return
        latest = keeper.latest()
        if latest is not None:
            self._rotation_seen = True
            self._refresh_token = latest

    def _save(self, keeper: RefreshTokenKeeper) -> None:
        try:
            keeper.keep(self._refresh_token)
            self._unsaved = False
        except LedgerUnavailable as down:
            self._unsaved = True
            _log.error(
                "Workday rotated the refresh token and the ledger could not keep it (%s): this process goes on "
                "with it and keeps it at its next refresh; until then another process's refresh is refused",
                down,
            )

    def invalidate(self, rejected: SecretStr | None = None) -> None:
        """Forget the cached token so the next ``access_token`` refreshes. Given the token a server rejected,
        forget it only if it is still the cached one: callers that saw the same 401 then share one refresh."""
        with self._lock:
            current = self._token
            if current is None:
                return
            if rejected is None or rejected.get_secret_value() == current.value.get_secret_value():
                self._token = None

    def _request_token(self) -> _CachedToken:
        requested_at = self._clock()
        form = {"grant_type": "refresh_token", "refresh_token": self._refresh_token.get_secret_value()}
        # An explicit no-op auth for the body style, so a client-level auth never applies here.
        auth = httpx.Auth()
        if self._client_auth is ClientAuthStyle.BASIC:
            auth = httpx.BasicAuth(self._client_id, self._client_secret.get_secret_value())
        else:
            form |= {"client_id": self._client_id, "client_secret": self._client_secret.get_secret_value()}
        try:
            response = self._client.post(
                self._token_url, data=form, auth=auth, headers={"Accept": "application/json"}, timeout=self._timeout
            )
        except httpx.RequestError as error:
            raise TokenEndpointError(
                f"the Workday token endpoint {self._token_url} could not be reached: {type(error).__name__}: "
                f"{self._redact(str(error))}"
            ) from None
        body = self._json_object(response)
        if response.status_code != httpx.codes.OK:
            raise self._error_for(response, body)
        access = body.get("access_token")
        if not isinstance(access, str) or not access:
            raise TokenEndpointError(
                f"the Workday token endpoint answered HTTP {response.status_code} without an access_token"
            )
        self._take_rotated_refresh_token(body.get("refresh_token"))
        lifetime = _expires_in(body.get("expires_in"))
        _log.info("refreshed the Workday access token; it expires in %s s", lifetime)
        # The leeway takes half the lifetime at most, so even a short-lived token is reused for a while.
        return _CachedToken(SecretStr(access), requested_at + lifetime - min(self._leeway, lifetime / 2))

    def _take_rotated_refresh_token(self, value: object) -> None:
        if not isinstance(value, str) or not value or value == self._refresh_token.get_secret_value():
            return
        self._refresh_token = SecretStr(value)
        self._rotation_seen = True
        _log.info("Workday rotated the refresh token")
        if self._keeper is not None:
            self._save(self._keeper)

    def _json_object(self, response: httpx.Response) -> dict[str, object]:
        try:
            body = response.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    def _error_for(self, response: httpx.Response, body: dict[str, object]) -> Exception:
        code = body.get("error")
        description = self._redact(str(body.get("error_description") or ""))
        if code == "invalid_grant":
            return RefreshTokenRejected()
        if code == "invalid_client":
            return ClientRejected(excerpt(description))
        detail = f"error={code}: {description}" if isinstance(code, str) else self._redact(response.text)
        return TokenEndpointError(
            f"the Workday token endpoint answered HTTP {response.status_code} ({excerpt(detail)}); "
            "if the client id and secret are right, try sending them in the body instead of a Basic header"
        )

    def _redact(self, text: str) -> str:
        return _without(text, (self._client_secret, self._refresh_token))


def _without(text: str, secrets: Iterable[SecretStr]) -> str:
    for secret in secrets:
        value = secret.get_secret_value()
        if value:
            text = text.replace(value, "***")
    return text


def _expires_in(value: object) -> float:
    if isinstance(value, bool):
        return DEFAULT_EXPIRES_IN
    if isinstance(value, int | float):
        return float(value) if value > 0 else DEFAULT_EXPIRES_IN
    if isinstance(value, str):
        try:
            seconds = float(value)
        except ValueError:
            return DEFAULT_EXPIRES_IN
        return seconds if seconds > 0 else DEFAULT_EXPIRES_IN
    return DEFAULT_EXPIRES_IN
