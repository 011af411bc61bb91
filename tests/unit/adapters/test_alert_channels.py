"""The alert channels against real receivers on loopback: the webhook against a local HTTP server, email against
a local SMTP server (``aiosmtpd``), plain, with STARTTLS and with TLS from the first byte."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from returns.result import Failure, Result, Success

from adapters.alerts.email import SmtpChannel, SmtpRelay, SmtpSecurity
from adapters.alerts.webhook import WebhookChannel
from adapters.retries import RetryPolicy
from domain.alerts import Condition, Incident, Notice, NoticeKind
from domain.runs import RunKind
from tests.alert_receivers import Certificate, WebhookReceiver, self_signed_certificate, smtp_receiver

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
INCIDENT = Incident(
    "acme/run-failed/transcripts", "acme", Condition.RUN_FAILED,
    "acme: transcripts run 42 failed: Workday answered 503 <b>[red]</b>", T0, RunKind.TRANSCRIPTS,
)  # fmt: skip
ALERT = Notice(NoticeKind.ALERT, INCIDENT)
RECOVERY = Notice(NoticeKind.RECOVERY, INCIDENT, T0 + timedelta(hours=3))
PASSWORD = "pa55-w0rd-never-shown"


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as started:
        yield started


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0) as opened:
        yield opened


def webhook(receiver: WebhookReceiver, client: httpx.Client, waits: list[float] | None = None) -> WebhookChannel:
    policy = RetryPolicy(attempts=3, backoff=0.5, max_wait=5.0, jitter=0.0, max_total_wait=20.0)
    return WebhookChannel(
        SecretStr(receiver.url), client, policy=policy, sleep=(waits if waits is not None else []).append
    )


def failure(result: Result[None, str]) -> str:
    assert isinstance(result, Failure), result
    reason: str = result.failure()
    return reason


def test_the_webhook_posts_json_with_a_slack_text_and_the_incident(
    receiver: WebhookReceiver, client: httpx.Client
) -> None:
    assert webhook(receiver, client).send(ALERT) == Success(None)
    assert webhook(receiver, client).send(RECOVERY) == Success(None)

    alert, recovery = receiver.received
    assert alert["text"].startswith("[wlc] ALERT acme: transcripts run-failed\n")
    assert INCIDENT.summary in alert["text"]
    assert alert["event"] == "opened"
    assert alert["incident"] == {
        "key": "acme/run-failed/transcripts",
        "tenant": "acme",
        "condition": "run-failed",
        "kind": "transcripts",
        "summary": INCIDENT.summary,
        "opened_at": "2026-11-23T12:00:00+00:00",
        "cleared_at": None,
    }
    assert recovery["event"] == "recovered"
    assert recovery["text"].startswith("[wlc] RECOVERED acme: transcripts run-failed\nCleared after 3.0 h: ")
    assert recovery["incident"]["cleared_at"] == "2026-11-23T15:00:00+00:00"


def test_the_webhook_retries_a_throttled_or_failing_receiver_honouring_retry_after(
    receiver: WebhookReceiver, client: httpx.Client
) -> None:
    receiver.answers.extend([(429, {"Retry-After": "2"}), (503, {})])
    waits: list[float] = []

    assert webhook(receiver, client, waits).send(ALERT) == Success(None)

    assert len(receiver.received) == 3
    assert waits == [2.0, 1.0]


def test_a_webhook_that_keeps_failing_is_a_failure_that_does_not_name_its_url(
    receiver: WebhookReceiver, client: httpx.Client
) -> None:
    receiver.answers.extend([(503, {})] * 3)

    reason = failure(webhook(receiver, client).send(ALERT))

    assert "HTTP 503" in reason
    assert "gave up after 3 attempts" in reason
    assert "secret-path" not in reason


def test_a_webhook_that_refuses_the_notice_is_not_retried(receiver: WebhookReceiver, client: httpx.Client) -> None:
    receiver.answers.append((400, {}))

    assert "HTTP 400" in failure(webhook(receiver, client).send(ALERT))
    assert len(receiver.received) == 1


def test_a_webhook_that_cannot_be_reached_is_a_failure(client: httpx.Client) -> None:
    with WebhookReceiver() as gone:
        url = gone.url
    channel = WebhookChannel(SecretStr(url), client, policy=RetryPolicy(attempts=2, jitter=0.0), sleep=lambda _: None)

    reason = failure(channel.send(ALERT))

    assert "cannot reach the webhook: ConnectError" in reason
    assert "secret-path" not in reason
    assert "secret-path" not in repr(channel)


def relay(port: int, **changes: object) -> SmtpRelay:
    fields: dict[str, object] = {
        "host": "127.0.0.1",
        "port": port,
        "sender": "wlc@provider.example",
        "recipients": ("ops@provider.example", "oncall@provider.example"),
        "security": SmtpSecurity.NONE,
        "timeout": 5.0,
    } | changes
    return SmtpRelay(**fields)  # type: ignore[arg-type]


def test_email_is_sent_to_every_recipient_with_the_notice_as_subject_and_body() -> None:
    with smtp_receiver() as server:
        assert SmtpChannel(relay(server.port)).send(ALERT) == Success(None)

    ((envelope, message),) = server.messages
    assert envelope.mail_from == "wlc@provider.example"
    assert envelope.rcpt_tos == ["ops@provider.example", "oncall@provider.example"]
    assert message["Subject"] == "[wlc] ALERT acme: transcripts run-failed"
    assert message["To"] == "ops@provider.example, oncall@provider.example"
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert INCIDENT.summary in body.decode()


def logging_in(port: int, certificate: Certificate) -> SmtpChannel:
    """A channel that logs in as ``alerts`` with ``PASSWORD`` over STARTTLS, trusting ``certificate``."""
    return SmtpChannel(
        relay(
            port,
            security=SmtpSecurity.STARTTLS,
            username="alerts",
            password=SecretStr(PASSWORD),
            ca_file=certificate.cert,
        )
    )


def test_email_logs_in_over_starttls_and_trusts_the_relays_own_ca(tmp_path: Path) -> None:
    certificate = self_signed_certificate(tmp_path)
    login = ("alerts", PASSWORD)
    with smtp_receiver("starttls", certificate, login) as server:
        channel = logging_in(server.port, certificate)
        assert channel.send(RECOVERY) == Success(None)

    assert server.logins == [login]
    assert [m["Subject"] for _, m in server.messages] == ["[wlc] RECOVERED acme: transcripts run-failed"]


def test_email_over_tls_from_the_first_byte(tmp_path: Path) -> None:
    certificate = self_signed_certificate(tmp_path)
    with smtp_receiver("ssl", certificate) as server:
        channel = SmtpChannel(relay(server.port, security=SmtpSecurity.SSL, ca_file=certificate.cert))
        assert channel.send(ALERT) == Success(None)

    assert len(server.messages) == 1


def test_a_relay_whose_certificate_is_not_trusted_is_a_failure(tmp_path: Path) -> None:
    certificate = self_signed_certificate(tmp_path)
    with smtp_receiver("starttls", certificate) as server:
        reason = failure(SmtpChannel(relay(server.port, security=SmtpSecurity.STARTTLS)).send(ALERT))

    assert "could not be reached: SSLCertVerificationError" in reason
    assert server.messages == []


def test_a_refused_login_is_a_failure_that_never_shows_the_password(tmp_path: Path) -> None:
    certificate = self_signed_certificate(tmp_path)
    with smtp_receiver("starttls", certificate, ("alerts", "another")) as server:
        channel = logging_in(server.port, certificate)
        reason = failure(channel.send(ALERT))

    assert "refused the alert: 535" in reason
    assert PASSWORD not in reason
    assert PASSWORD not in repr(channel)


def test_a_refused_recipient_is_a_failure_naming_the_relays_answer() -> None:
    with smtp_receiver() as server:
        reason = failure(SmtpChannel(relay(server.port, recipients=("nobody@provider.example",))).send(ALERT))

    assert "no such mailbox" in reason


def test_a_relay_that_cannot_be_reached_is_a_failure() -> None:
    with smtp_receiver() as server:
        port = server.port

    assert "could not be reached" in failure(SmtpChannel(relay(port)).send(ALERT))
