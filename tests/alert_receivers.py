"""Real receivers for the alert channels' tests, on 127.0.0.1 and ephemeral ports: a webhook (an HTTP server that
keeps each JSON body and answers as told) and an SMTP server (``aiosmtpd``) that keeps each message, optionally
with STARTTLS or TLS from the first byte (a self-signed certificate ``openssl`` makes) and a login."""

from __future__ import annotations

import asyncio
import json
import shutil
import ssl
import subprocess
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


class WebhookReceiver:
    """Keeps each POST's JSON body in ``received`` and the status it answered in ``statuses``; answers each with
    the next of ``answers`` (status, headers), then 200."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        self.answers: deque[tuple[int, dict[str, str]]] = deque()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.received.append(json.loads(body))
                status, headers = receiver.answers.popleft() if receiver.answers else (200, {})
                receiver.statuses.append(status)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/hooks/T000/B000/secret-path"

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@dataclass
class _Handler:
    messages: list[tuple[Envelope, Message]] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.startswith("nobody@"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        assert isinstance(envelope.content, bytes)
        self.messages.append((envelope, message_from_bytes(envelope.content)))
        return "250 OK"


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


def self_signed_certificate(folder: Path) -> Certificate:
    """A certificate for 127.0.0.1, made by ``openssl``; the test is skipped, saying so, where there is none."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed: the TLS cases of the SMTP channel need it to make a certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603 (openssl, with arguments of our own)
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-addext", "basicConstraints=critical,CA:TRUE"],
        check=True, capture_output=True,
    )  # fmt: skip
    return Certificate(cert, key)


class SmtpReceiver:
    """An SMTP server keeping each message in ``messages``. ``tls``: "starttls" offers STARTTLS (and requires it
    before a login), "ssl" speaks TLS from the first byte. ``login``: the (user, password) it accepts."""

    def __init__(
        self, tls: str | None = None, certificate: Certificate | None = None, login: tuple[str, str] | None = None
    ) -> None:
        self.handler = _Handler()
        self.logins: list[tuple[str, str]] = []
        self._tls, self._certificate, self._login = tls, certificate, login
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self.port = 0

    @property
    def messages(self) -> list[tuple[Envelope, Message]]:
        return self.handler.messages

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        given = (data.login.decode(), data.password.decode())
        self.logins.append(given)
        # Not "handled": the server answers a refusal with 535 itself.
        return AuthResult(success=given == self._login, handled=False)

    def _smtp(self) -> SMTP:
        context = self._certificate.server_context() if self._certificate and self._tls == "starttls" else None
        return SMTP(
            self.handler,
            hostname="127.0.0.1",
            tls_context=context,
            require_starttls=context is not None,
            authenticator=self._authenticate if self._login else None,
            auth_require_tls=self._tls is not None,
        )

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        wrapped = self._certificate.server_context() if self._certificate and self._tls == "ssl" else None
        self._server = self._loop.run_until_complete(
            self._loop.create_server(self._smtp, host="127.0.0.1", port=0, ssl=wrapped)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def __enter__(self) -> SmtpReceiver:
        self._thread.start()
        self._ready.wait()
        return self

    def __exit__(self, *_: object) -> None:
        async def close() -> None:
            assert self._server is not None
            self._server.close()
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


@contextmanager
def smtp_receiver(
    tls: str | None = None, certificate: Certificate | None = None, login: tuple[str, str] | None = None
) -> Iterator[SmtpReceiver]:
    with SmtpReceiver(tls, certificate, login) as receiver:
        yield receiver


def taken(webhook: WebhookReceiver) -> list[dict[str, Any]]:
    """The bodies the webhook answered with 200."""
    return [body for body, status in zip(webhook.received, webhook.statuses, strict=True) if status == 200]
