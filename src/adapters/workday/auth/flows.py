"""The ``httpx.Auth`` flows that put Workday credentials on requests: a bearer token from a
``RefreshTokenProvider`` (refreshed once when Workday refuses it), or an Integration System User's password."""

from __future__ import annotations

import logging
from collections.abc import Generator

import httpx
from pydantic import SecretStr

from adapters.workday.auth.tokens import RefreshTokenProvider

_log = logging.getLogger(__name__)


class WorkdayBearerAuth(httpx.Auth):
    """``Authorization: Bearer`` with a token from ``tokens``. When Workday refuses the token (a 401, or, on its
    SOAP endpoints, a 500 whose SOAP fault says "invalid username or password") it refreshes the token once and
    retries the request once; a second refusal is returned to the caller."""

    def __init__(self, tokens: RefreshTokenProvider) -> None:
        self._tokens = tokens

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._tokens!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._tokens.access_token()
        request.headers["Authorization"] = f"Bearer {token.get_secret_value()}"
        response = yield request
        if not _refused_token(response):
            return
        _log.info("Workday refused the access token (HTTP %d); refreshing it and retrying once", response.status_code)
        self._tokens.invalidate(token)
        request.headers["Authorization"] = f"Bearer {self._tokens.access_token().get_secret_value()}"
        yield request


def _refused_token(response: httpx.Response) -> bool:
    if response.status_code == httpx.codes.UNAUTHORIZED:
        return True
    if response.status_code != httpx.codes.INTERNAL_SERVER_ERROR:
        return False
    # Only a 500's body is read here (a SOAP fault is small); any other answer, a streamed report above all,
    # reaches its reader unread.
    return _AUTH_FAULTSTRING in response.read()[:4096].lower()


_AUTH_FAULTSTRING = b"invalid username or password"
"""The faultstring of Workday's SOAP answer to credentials it refuses (reference 1.6, [S13e])."""


def isu_basic_auth(username: str, password: SecretStr) -> httpx.Auth:
    """Basic auth for an Integration System User. ``username`` is sent as given: ``isu`` or ``isu@tenant``
    both appear in practice, and which one a tenant accepts is not documented."""
    return httpx.BasicAuth(username, password.get_secret_value())
