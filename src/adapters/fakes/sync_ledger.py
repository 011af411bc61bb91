from __future__ import annotations

import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from domain.errors import LedgerUnavailable
from domain.ports.sync_ledger import SyncLedger
from domain.runs import ActionRecord, Run, RunKind, RunOutcome


class InMemorySyncLedger(SyncLedger):
    def __init__(self) -> None:
        self._runs: dict[int, Run] = {}
        self._actions: dict[int, list[ActionRecord]] = {}
        self._lock = threading.Lock()

    def start_run(self, kind: RunKind, tenant: str, at: datetime) -> Run:
        with self._lock:
            run = Run(id=len(self._runs) + 1, kind=kind, tenant=tenant, started_at=at)
            self._runs[run.id] = run
            self._actions[run.id] = []
            return run

    def record_actions(self, run_id: int, actions: Sequence[ActionRecord]) -> None:
        self._known(run_id)
        self._actions[run_id].extend(actions)

    def finish_run(
        self, run_id: int, outcome: RunOutcome, at: datetime, counts: Mapping[str, int], message: str = ""
    ) -> Run:
        run = replace(self._known(run_id), outcome=outcome, finished_at=at, counts=dict(counts), message=message)
        self._runs[run_id] = run
        return run

    def runs(self, limit: int = 20, tenant: str | None = None, kind: RunKind | None = None) -> list[Run]:
        chosen = [r for r in self._runs.values() if tenant in (None, r.tenant) and kind in (None, r.kind)]
        return sorted(chosen, key=lambda r: r.id, reverse=True)[:limit]

    def run(self, run_id: int) -> Run | None:
        return self._runs.get(run_id)

    def actions(self, run_id: int) -> list[ActionRecord]:
        return list(self._actions.get(run_id, []))

    def latest_runs(self, tenants: Collection[str] | None = None) -> list[Run]:
        latest: dict[tuple[str, RunKind, RunOutcome], Run] = {}
        for run in self._runs.values():
            if run.outcome is RunOutcome.RUNNING or (tenants is not None and run.tenant not in tenants):
                continue
            key = (run.tenant, run.kind, run.outcome)
            if key not in latest or latest[key].id < run.id:
                latest[key] = run
        return sorted(latest.values(), key=lambda r: r.id)

    def decide_blocked(self, run_id: int, outcome: RunOutcome, by: str, at: datetime, message: str) -> Run | None:
        with self._lock:
            run = self._runs.get(run_id)
            if run is None or run.outcome is not RunOutcome.BLOCKED:
                return None
            if any(r.id > run.id and r.tenant == run.tenant and r.kind == run.kind for r in self._runs.values()):
                return None
            decided = replace(run, outcome=outcome, decided_by=by, finished_at=at, message=message)
            self._runs[run_id] = decided
            return decided

    def replace_actions(self, run_id: int, replacements: Mapping[int, ActionRecord]) -> None:
        self._known(run_id)
        held = self._actions[run_id]
        if any(not 0 <= position < len(held) for position in replacements):
            raise LedgerUnavailable(f"run {run_id} has {len(held)} actions; cannot replace {sorted(replacements)}")
        for position, record in replacements.items():
            held[position] = record

    def _known(self, run_id: int) -> Run:
        run = self._runs.get(run_id)
        if run is None:
            raise LedgerUnavailable(f"run {run_id} is not in the ledger")
        return run
