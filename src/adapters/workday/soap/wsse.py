"""WS-Security for Workday's SOAP services: an Integration System User's UsernameToken (PasswordText)."""

from __future__ import annotations

from typing import Any, Final

from lxml import etree
from zeep.wsse.username import UsernameToken

from adapters.workday.auth.credentials import IsuCredentials

WSSE: Final = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
_PROFILE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
PASSWORD_TEXT: Final = f"{_PROFILE}#PasswordText"


def security_header(credentials: IsuCredentials) -> etree._Element:
    """The ``wsse:Security`` header of an envelope written without zeep, as zeep's ``UsernameToken`` writes it."""
    security = etree.Element(f"{{{WSSE}}}Security", nsmap={"wsse": WSSE})
    token = etree.SubElement(security, f"{{{WSSE}}}UsernameToken")
    etree.SubElement(token, f"{{{WSSE}}}Username").text = credentials.username
    password = etree.SubElement(token, f"{{{WSSE}}}Password", Type=PASSWORD_TEXT)
    password.text = credentials.password.get_secret_value()
    return security


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
