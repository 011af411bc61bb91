"""``wlc alerts check`` end to end: the sandbox as the tenant, a local webhook receiver and a local SMTP server as the
channels, each incident alerted once and its recovery sent once, through the real container and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.errors import ExitCode
from app.sandbox_settings import sandbox_toml
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer
from tests.alert_receivers import SmtpReceiver, WebhookReceiver, smtp_receiver, taken

runner = CliRunner(env={"COLUMNS": "400"})


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(workers=100, seed=5)) as server:
        yield server


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with smtp_receiver() as receiver:
        yield receiver


@pytest.fixture
def config(sandbox: SandboxServer, webhook: WebhookReceiver, smtp: SmtpReceiver, tmp_path: Path) -> Path:
    path = tmp_path / "wlc.toml"
    ledger = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    alerts = f"""
[alerts]
webhook_url = "{webhook.url}"

[alerts.email]
host = "127.0.0.1"
port = {smtp.port}
security = "none"
sender = "wlc@provider.example"
recipients = ["ops@provider.example"]
"""
    path.write_text(sandbox_toml(sandbox.base_url, sandbox.config, ledger) + alerts, encoding="utf-8")
    return path


def wlc(config: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--config", str(config), *args])
    return result.exit_code, result.output


def events(webhook: WebhookReceiver) -> list[tuple[str, str]]:
    return [(body["event"], body["incident"]["key"]) for body in taken(webhook)]


def test_a_blocked_plan_is_alerted_once_on_each_channel_and_its_recovery_sent_once_approved(
    config: Path, sandbox: SandboxServer, webhook: WebhookReceiver, smtp: SmtpReceiver
) -> None:
    assert wlc(config, "membership", "sync")[0] == ExitCode.DONE
    sandbox.faults.report_rows_override = 10
    assert wlc(config, "membership", "sync")[0] == ExitCode.BLOCKED

    code, output = wlc(config, "alerts", "check")
    assert code == ExitCode.DONE, output
    assert "opened" in output
    assert events(webhook) == [("opened", "sandbox/plan-blocked")]
    assert "wlc membership approve 2" in webhook.received[0]["text"]
    assert [m["Subject"] for _, m in smtp.messages] == ["[wlc] ALERT sandbox: plan-blocked"]

    assert wlc(config, "alerts", "check")[0] == ExitCode.DONE
    assert wlc(config, "membership", "approve", "2", "--by", "ada")[0] == ExitCode.DONE
    assert len(webhook.received) == 1, "one alert per incident, not per evaluation"

    code, output = wlc(config, "alerts", "check")
    assert code == ExitCode.DONE, output
    assert events(webhook) == [("opened", "sandbox/plan-blocked"), ("recovered", "sandbox/plan-blocked")]
    assert [m["Subject"] for _, m in smtp.messages][-1] == "[wlc] RECOVERED sandbox: plan-blocked"
    assert wlc(config, "alerts", "check")[0] == ExitCode.DONE
    assert len(webhook.received) == 2
    code, output = wlc(config, "alerts", "list")
    assert code == ExitCode.DONE
    assert "plan-blocked" not in output


def test_a_refused_refresh_token_is_alerted_and_a_channel_that_fails_is_tried_again(
    config: Path, sandbox: SandboxServer, webhook: WebhookReceiver, smtp: SmtpReceiver
) -> None:
    sandbox.state.tokens.revoke(refresh_tokens=True)
    assert wlc(config, "membership", "sync")[0] == ExitCode.SOME_FAILED
    webhook.answers.append((410, {}))  # the first notice is refused: sent again at the next check

    code, output = wlc(config, "alerts", "check")

    assert code == ExitCode.SOME_FAILED
    assert "not sent" in output
    assert "secret-path" not in output
    assert [m["Subject"] for _, m in smtp.messages] == ["[wlc] ALERT sandbox: token-refused"]  # not the run too
    code, output = wlc(config, "alerts", "check")
    assert code == ExitCode.DONE, output
    assert events(webhook) == [("opened", "sandbox/token-refused")]  # taken once, after the refused try
    assert webhook.statuses == [410, 200]
    assert len(smtp.messages) == 1, "the email, reached the first time, is not sent them again"
