"""OpenTelemetry spans: a run, a session (a unit of work: a request to the API, an outbox delivery, a
scheduler's turn) and each Workday call, the calls children of the run or session they serve.

Spans go anywhere only when an exporter is configured: the ``otlp_endpoint`` setting (``WLC_OTLP_ENDPOINT``) or the
standard ``OTEL_EXPORTER_OTLP_ENDPOINT`` / ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, over OTLP/HTTP. Otherwise the
API's no-op tracer makes them at no cost and nothing leaves the process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import trace

TRACER_NAME = "wlc"
TENANT = "wlc.tenant"
RUN_ID = "wlc.run_id"
RUN_KIND = "wlc.run_kind"
OPERATION = "wlc.workday.operation"
REQUEST_ID = "wlc.request_id"
_STANDARD_ENDPOINTS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
_configured = False


def tracer() -> trace.Tracer:
    """The connector's tracer, from whatever provider is set now (looked up at each use, so a provider a test
    or ``configure_tracing`` sets later is the one used)."""
    return trace.get_tracer(TRACER_NAME)


def exporting(endpoint: str | None) -> bool:
    return bool(endpoint) or any(os.environ.get(name) for name in _STANDARD_ENDPOINTS)


def configure_tracing(endpoint: str | None, service: str = "wlc") -> bool:
    """Exports spans over OTLP/HTTP to ``endpoint`` (or where the standard variables say) when either is set;
    returns whether it does. Once a process: OpenTelemetry's provider cannot be replaced."""
    global _configured  # noqa: PLW0603 - the provider is the process's, set once
    if _configured or not exporting(endpoint):
        return _configured
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    target = f"{endpoint.rstrip('/')}/v1/traces" if endpoint else None
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=target)))
    trace.set_tracer_provider(provider)
    _configured = True
    return True


@contextmanager
def session_span(tenant: str, what: str) -> Iterator[trace.Span]:
    """A span around a unit of work of ``tenant`` (``what`` names it: ``deliver``, ``scheduler tick``...): the
    Workday calls made within are its children."""
    with tracer().start_as_current_span(f"session {what}", attributes={TENANT: tenant}) as span:
        yield span
