"""Metrics, traces and logs of real syncs: the container ``wlc`` builds, over loopback to the sandbox."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import REGISTRY
from typer.testing import CliRunner

from app.cli.main import cli
from app.container import TenantContainer, build_container
from app.errors import ExitCode
from app.observability.tracing import OPERATION, RUN_ID, TENANT
from app.sandbox_settings import sandbox_settings, sandbox_toml
from domain.runs import RunOutcome
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer
from tests.logging_capture import captured_logs
from tests.span_capture import span_exporter


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(workers=60, seed=14, completions=30, soap_rate_limit=200)) as server:
        yield server


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    return span_exporter()


@pytest.fixture
def container(sandbox: SandboxServer, tmp_path: Path) -> Iterator[TenantContainer]:
    settings = sandbox_settings(sandbox.base_url, sandbox.config, f"sqlite:///{tmp_path / 'ledger.db'}")
    built = build_container(settings=settings)
    try:
        yield built
    finally:
        built.shutdown_resources()


def workday_requests(tenant: str) -> float:
    return sum(
        sample.value
        for family in REGISTRY.collect()
        if family.name == "wlc_workday_requests"
        for sample in family.samples
        if sample.name == "wlc_workday_requests_total" and sample.labels["tenant"] == tenant
    )


def runs(tenant: str, kind: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("wlc_runs_total", {"tenant": tenant, "kind": kind, "outcome": outcome}) or 0.0


def test_the_metrics_count_every_request_the_sandbox_served_and_each_run(
    container: TenantContainer, sandbox: SandboxServer
) -> None:
    requests_before, served_before = workday_requests("sandbox"), sandbox.counts.total("workday")
    runs_before = runs("sandbox", "transcripts", "succeeded") + runs("sandbox", "transcripts", "partial")
    membership_before = sum(runs("sandbox", "membership", o.value) for o in RunOutcome)

    transcripts = container.sync_transcripts()()
    container.sync_membership()(False)

    served = sandbox.counts.total("workday") - served_before
    assert served > 0
    assert workday_requests("sandbox") - requests_before == served
    after = runs("sandbox", "transcripts", "succeeded") + runs("sandbox", "transcripts", "partial")
    assert after - runs_before == 1
    assert transcripts.outcome in (RunOutcome.SUCCEEDED, RunOutcome.PARTIAL)
    assert sum(runs("sandbox", "membership", o.value) for o in RunOutcome) - membership_before == 1


def test_a_sync_is_a_run_span_whose_workday_calls_are_its_children(
    container: TenantContainer, spans: InMemorySpanExporter
) -> None:
    spans.clear()

    result = container.sync_transcripts()()

    finished: tuple[ReadableSpan, ...] = spans.get_finished_spans()
    run = next(s for s in finished if s.name == "run transcripts")
    assert run.attributes is not None
    assert (run.attributes[TENANT], run.attributes[RUN_ID]) == ("sandbox", result.run.id)
    assert run.context is not None
    calls = [s for s in finished if s.parent is not None and s.parent.span_id == run.context.span_id]
    operations = {s.attributes[OPERATION] for s in calls if s.attributes is not None}
    assert "Put_Learning_Imported_Content_Request" in operations
    assert "Put_Learning_Imported_Record_Request" in operations
    assert all(s.attributes is not None and s.attributes[TENANT] == "sandbox" for s in calls)
    assert all(s.context is not None and s.context.trace_id == run.context.trace_id for s in calls)


@pytest.mark.parametrize("learning_auth", ["oauth", "isu"])
def test_no_secret_reaches_the_logs_of_a_sync(sandbox: SandboxServer, tmp_path: Path, learning_auth: str) -> None:
    """At DEBUG, with the Learning API reached by OAuth (a bearer token) and by ISU (a password in every SOAP
    envelope's WS-Security header)."""
    config = sandbox.config
    settings = sandbox_settings(sandbox.base_url, config, f"sqlite:///{tmp_path / 'ledger.db'}")
    tenant = settings.tenants["sandbox"]
    learning = tenant.learning.model_copy(update={"auth": learning_auth})
    settings.tenants["sandbox"] = tenant.model_copy(update={"learning": learning})
    container = build_container(settings=settings)
    assert tenant.oauth is not None
    client_id = tenant.oauth.client_id
    secrets = [config.client_secret, config.refresh_token, config.isu_password, config.lumiq_api_key]
    basic = base64.b64encode(f"{client_id}:{config.client_secret}".encode()).decode()

    with captured_logs("json") as written:
        container.sync_membership()(False)
        transcripts = container.sync_transcripts()()
    container.shutdown_resources()
    assert transcripts.gathered is not None
    assert transcripts.run.counts["records_sent"] > 0  # the envelopes with the password did go out

    text = written.getvalue()
    records = [json.loads(line) for line in text.splitlines()]
    assert records, "a sync at DEBUG logs something"
    assert all(record["tenant"] == "sandbox" for record in records if record.get("run_id") is not None)
    for secret in [*secrets, basic]:
        assert secret not in text
    assert "Bearer " not in text


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """The root logger as it was: ``wlc`` sets up the process's logging."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.mark.usefixtures("logging_restored")
def test_wlc_log_format_json_writes_a_json_record_a_line_on_standard_error(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    config = tmp_path / "wlc.toml"
    config.write_text(sandbox_toml(sandbox.base_url, sandbox.config, f"sqlite:///{tmp_path / 'l.db'}"), "utf-8")

    result = CliRunner().invoke(
        cli, ["--config", str(config), "--log-format", "json", "--log-level", "INFO", "transcripts", "sync"]
    )

    assert result.exit_code in (ExitCode.DONE, ExitCode.SOME_FAILED), result.output
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert any("access token" in record["event"] for record in records)
    assert all({"timestamp", "level", "tenant", "run_id", "request_id"} <= record.keys() for record in records)


def test_wlc_refuses_a_log_format_it_does_not_know() -> None:
    result = CliRunner().invoke(cli, ["--log-format", "xml", "status"])

    assert result.exit_code == 2
    assert "json" in result.output
