"""WS-Security for Workday's SOAP services: an Integration System User's UsernameToken (PasswordText)."""

from __future__ import annotations

from typing import Any

from zeep.wsse.username import UsernameToken

from adapters.workday.auth.credentials import IsuCredentials


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
