from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from domain.errors import LedgerUnavailable
from domain.ports.sync_ledger import SyncLedger
from domain.runs import ActionRecord, Run, RunKind, RunOutcome


class InMemorySyncLedger(SyncLedger):
    def __init__(self) -> None:
        self._runs: dict[int, Run] = {}
        self._actions: dict[int, list[ActionRecord]] = {}

    def start_run(self, kind: RunKind, tenant: str, at: datetime) -> Run:
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

    def runs(self, limit: int = 20, tenant: str | None = None) -> list[Run]:
        chosen = [r for r in self._runs.values() if tenant is None or r.tenant == tenant]
        return sorted(chosen, key=lambda r: r.id, reverse=True)[:limit]

    def run(self, run_id: int) -> Run | None:
        return self._runs.get(run_id)

    def actions(self, run_id: int) -> list[ActionRecord]:
        return list(self._actions.get(run_id, []))

    def _known(self, run_id: int) -> Run:
        run = self._runs.get(run_id)
        if run is None:
            raise LedgerUnavailable(f"run {run_id} is not in the ledger")
        return run
