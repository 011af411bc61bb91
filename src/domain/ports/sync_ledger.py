from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from domain.runs import ActionRecord, Run, RunKind, RunOutcome


@runtime_checkable
class SyncLedger(Protocol):
    """The durable record of sync runs and every action they applied.

    Contract:
    - ``start_run`` records a run in outcome running and returns it with its id (ids increase).
    - ``record_actions`` appends actions to a run; each call is committed before it returns.
    - ``finish_run`` sets the outcome, end time, counts and message, and returns the finished run.
    - ``runs`` lists runs newest first (at most ``limit``); ``run`` returns one, or ``None`` if unknown;
      ``actions`` returns a run's actions in the order recorded.
    - Any storage failure raises ``domain.errors.LedgerUnavailable``.
    """

    @abstractmethod
    def start_run(self, kind: RunKind, tenant: str, at: datetime) -> Run: ...

    @abstractmethod
    def record_actions(self, run_id: int, actions: Sequence[ActionRecord]) -> None: ...

    @abstractmethod
    def finish_run(
        self, run_id: int, outcome: RunOutcome, at: datetime, counts: Mapping[str, int], message: str = ""
    ) -> Run: ...

    @abstractmethod
    def runs(self, limit: int = 20, tenant: str | None = None) -> list[Run]: ...

    @abstractmethod
    def run(self, run_id: int) -> Run | None: ...

    @abstractmethod
    def actions(self, run_id: int) -> list[ActionRecord]: ...
