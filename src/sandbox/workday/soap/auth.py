"""Who may call the SOAP endpoint: the ISU by WS-Security UsernameToken (``user@tenant``, PasswordText), or
anyone with an access token from the sandbox's token endpoint (``Authorization: Bearer``), as reference 1.5 says."""

from __future__ import annotations

import hmac

from lxml import etree

from sandbox.config import SandboxConfig
from sandbox.workday.oauth.tokens import TokenIssuer
from sandbox.workday.soap.envelopes import PASSWORD_TEXT, WSSE


def authenticated(
    header: etree._Element | None, authorization: str, tenant: str, config: SandboxConfig, tokens: TokenIssuer
) -> bool:
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return tokens.accepts(credentials.strip())
    token = None if header is None else header.find(f"{{{WSSE}}}Security/{{{WSSE}}}UsernameToken")
    if token is None:
        return False
    username = (token.findtext(f"{{{WSSE}}}Username") or "").strip()
    password_element = token.find(f"{{{WSSE}}}Password")
    if password_element is None or password_element.get("Type", PASSWORD_TEXT) != PASSWORD_TEXT:
        return False  # Inferred: a PasswordDigest is refused like a wrong password.
    password = password_element.text or ""
    user_ok = hmac.compare_digest(username.encode(), f"{config.isu_username}@{tenant}".encode())
    return user_ok & hmac.compare_digest(password.encode(), config.isu_password.encode())
