"""``ObservedSyncLedger``: the sync ledger, seen from where every run starts and ends. A run's start binds its
tenant and id to the log records of the thread (and of the pools it starts, ``logs.carry_context``) and opens its
span, current until the run ends; its end counts it by tenant, kind and outcome, and closes the span."""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping, Sequence
from contextvars import Token
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Status, StatusCode

from app.observability import logs, metrics
from app.observability.tracing import RUN_ID, RUN_KIND, TENANT, tracer
from domain.ports.sync_ledger import SyncLedger
from domain.runs import ActionRecord, Run, RunKind, RunOutcome

_FAILED = frozenset({RunOutcome.FAILED})


@dataclass(frozen=True, slots=True)
class _Open:
    span: trace.Span
    token: object
    fields: Mapping[str, Token[Any]]
    thread: int


class ObservedSyncLedger(SyncLedger):
    def __init__(self, ledger: SyncLedger) -> None:
        self._ledger = ledger
        self._open: dict[int, _Open] = {}
        self._lock = threading.Lock()

    def start_run(self, kind: RunKind, tenant: str, at: datetime) -> Run:
        run = self._ledger.start_run(kind, tenant, at)
        span = tracer().start_span(
            f"run {kind.value}", attributes={TENANT: tenant, RUN_KIND: kind.value, RUN_ID: run.id}
        )
        token = otel_context.attach(trace.set_span_in_context(span))
        fields = logs.bind(tenant=tenant, run_id=run.id)
        with self._lock:
            self._open[run.id] = _Open(span, token, fields, threading.get_ident())
        return run

    def finish_run(
        self, run_id: int, outcome: RunOutcome, at: datetime, counts: Mapping[str, int], message: str = ""
    ) -> Run:
        try:
            run = self._ledger.finish_run(run_id, outcome, at, counts, message)
        finally:
            self._close(run_id, outcome, message)
        metrics.observe_run(run.tenant, run.kind.value, outcome.value)
        return run

    def _close(self, run_id: int, outcome: RunOutcome, message: str) -> None:
        with self._lock:
            opened = self._open.pop(run_id, None)
        if opened is None:  # a run started elsewhere (an approved plan applied later)
            return
        opened.span.set_attribute("wlc.run_outcome", outcome.value)
        if outcome in _FAILED:
            opened.span.set_status(Status(StatusCode.ERROR, message[:200]))
        opened.span.end()
        if opened.thread == threading.get_ident():
            otel_context.detach(opened.token)  # type: ignore[arg-type]
            logs.reset(opened.fields)

    def record_actions(self, run_id: int, actions: Sequence[ActionRecord]) -> None:
        self._ledger.record_actions(run_id, actions)

    def runs(self, limit: int = 20, tenant: str | None = None, kind: RunKind | None = None) -> list[Run]:
        return self._ledger.runs(limit, tenant, kind)

    def run(self, run_id: int) -> Run | None:
        return self._ledger.run(run_id)

    def actions(self, run_id: int) -> list[ActionRecord]:
        return self._ledger.actions(run_id)

    def latest_runs(self, tenants: Collection[str] | None = None) -> list[Run]:
        return self._ledger.latest_runs(tenants)

    def decide_blocked(self, run_id: int, outcome: RunOutcome, by: str, at: datetime, message: str) -> Run | None:
        return self._ledger.decide_blocked(run_id, outcome, by, at, message)

    def replace_actions(self, run_id: int, replacements: Mapping[int, ActionRecord]) -> None:
        self._ledger.replace_actions(run_id, replacements)
