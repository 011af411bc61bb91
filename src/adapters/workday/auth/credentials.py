"""How the connector proves itself to the Learning API: an Integration System User's WS-Security
UsernameToken (PasswordText, user name ``user@tenant``), or an OAuth2 bearer token from a refresh token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr
from zeep.wsse.username import UsernameToken

from adapters.workday.auth.tokens import RefreshTokenProvider


@dataclass(frozen=True, slots=True)
class IsuCredentials:
    """An Integration System User. ``user`` is the ISU's name; it is sent as ``user@tenant`` [S1, S4, S12],
    unless it already ends with ``@tenant``."""

    user: str
    tenant: str
    password: SecretStr

    @property
    def username(self) -> str:
        suffix = f"@{self.tenant}"
        return self.user if self.user.endswith(suffix) else f"{self.user}{suffix}"


@dataclass(frozen=True, slots=True)
class OAuthCredentials:
    """An "API Client for Integrations": each request carries ``Authorization: Bearer`` from ``tokens``,
    refreshed once when Workday answers 401."""

    tokens: RefreshTokenProvider


LearningAuth = IsuCredentials | OAuthCredentials


class IsuUsernameToken:
    """zeep's WS-Security plugin for an ISU. The password stays a ``SecretStr`` until a message is signed, so
    neither this object's repr nor the client's holds it in the clear."""

    def __init__(self, credentials: IsuCredentials) -> None:
        self._credentials = credentials

    def __repr__(self) -> str:
        return f"{type(self).__name__}(username={self._credentials.username!r})"

    def apply(self, envelope: Any, headers: dict[str, str]) -> tuple[Any, dict[str, str]]:
        password = self._credentials.password.get_secret_value()
        token = UsernameToken(self._credentials.username, password)  # type: ignore[no-untyped-call]
        applied: tuple[Any, dict[str, str]] = token.apply(envelope, headers)  # type: ignore[no-untyped-call]
        return applied

    def verify(self, envelope: Any) -> Any:
        """Workday's replies are not signed: nothing to verify."""
        return envelope
