"""Alerts sent as email over SMTP (``smtplib``): STARTTLS (the default), TLS from the first byte (``ssl``, port 465)
or plain (``none``, for a relay on the same host); a login when a user name is set. The password is a
``SecretStr``: never logged, and no failure names it."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from enum import StrEnum
from pathlib import Path

from pydantic import SecretStr
from returns.result import Failure, Result, Success

from adapters.tls import tls_context
from domain.alerts import Notice
from domain.ports.alert_channel import AlertChannel


class SmtpSecurity(StrEnum):
    STARTTLS = "starttls"
    SSL = "ssl"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class SmtpRelay:
    """The relay and the message's envelope. ``ca_file`` is a CA bundle to trust instead of the system's (a
    company's own relay)."""

    host: str
    port: int
    sender: str
    recipients: Sequence[str]
    security: SmtpSecurity = SmtpSecurity.STARTTLS
    username: str | None = None
    password: SecretStr | None = None
    timeout: float = 30.0
    ca_file: Path | None = None


class SmtpChannel(AlertChannel):
    def __init__(self, relay: SmtpRelay, name: str = "email") -> None:
        self._relay = relay
        self._name = name

    def __repr__(self) -> str:
        return f"SmtpChannel(name={self._name!r}, host={self._relay.host!r}, port={self._relay.port})"

    @property
    def name(self) -> str:
        return self._name

    def send(self, notice: Notice) -> Result[None, str]:
        relay = self._relay
        message = EmailMessage()
        message["Subject"] = notice.subject
        message["From"] = relay.sender
        message["To"] = ", ".join(relay.recipients)
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="wlc.invalid")
        message.set_content(notice.text)
        try:
            with self._connect() as smtp:
                if relay.security is SmtpSecurity.STARTTLS:
                    smtp.starttls(context=self._context())
                if relay.username is not None:
                    password = relay.password.get_secret_value() if relay.password is not None else ""
                    smtp.login(relay.username, password)
                smtp.send_message(message, relay.sender, list(relay.recipients))
        except smtplib.SMTPException as refused:
            return Failure(
                f"the {self._name} relay {relay.host}:{relay.port} refused the {notice.kind}: {_said(refused)}"
            )
        except (OSError, ssl.SSLError) as unreachable:
            return Failure(
                f"the {self._name} relay {relay.host}:{relay.port} could not be reached: "
                f"{type(unreachable).__name__}: {unreachable}"
            )
        return Success(None)

    def _connect(self) -> smtplib.SMTP:
        relay = self._relay
        if relay.security is SmtpSecurity.SSL:
            return smtplib.SMTP_SSL(relay.host, relay.port, timeout=relay.timeout, context=self._context())
        return smtplib.SMTP(relay.host, relay.port, timeout=relay.timeout)

    def _context(self) -> ssl.SSLContext:
        if self._relay.ca_file is None:
            return tls_context()
        return ssl.create_default_context(cafile=str(self._relay.ca_file))


def _said(refused: smtplib.SMTPException) -> str:
    """The relay's answer: its code and words, which name no password (smtplib's own messages do not either)."""
    code, words = getattr(refused, "smtp_code", None), getattr(refused, "smtp_error", None)
    if code is not None and isinstance(words, bytes):
        return f"{code} {words.decode('utf-8', 'replace')}"
    return f"{type(refused).__name__}: {refused}"
