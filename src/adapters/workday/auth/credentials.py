"""How the connector proves itself to the Learning API: an Integration System User's WS-Security
UsernameToken (PasswordText, user name ``user@tenant``; zeep's plugin for it is ``soap.wsse``), or an OAuth2
bearer token from a refresh token."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr

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
