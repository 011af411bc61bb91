from __future__ import annotations

from abc import abstractmethod
from collections.abc import Collection, Mapping, Sequence
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
    - ``runs`` lists runs newest first (at most ``limit``, of one tenant and one kind when given); ``run`` returns
      one, or ``None`` if unknown; ``actions`` returns a run's actions in the order recorded.
    - ``latest_runs`` returns, for each of ``tenants`` (every tenant when None), kind and outcome other than
      running, the latest run that ended so: what a tenant's status is read from, whatever the number of runs.
    - ``decide_blocked`` settles a blocked plan, atomically (two operators deciding at once: one wins): when
      run ``run_id`` ended ``blocked`` and no later run of its tenant and kind exists, it takes ``outcome``
      (``running`` while the approved plan is applied, or ``rejected``), ``decided_by``, ``finished_at`` = ``at``
      and ``message``, and is returned; otherwise nothing changes and None is returned.
    - ``replace_actions`` replaces a run's actions at the given positions (0-based, in the order recorded), as
      an approved plan's planned actions become applied or failed ones; a position out of range raises
      ``LedgerUnavailable``.
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
    def runs(self, limit: int = 20, tenant: str | None = None, kind: RunKind | None = None) -> list[Run]: ...

    @abstractmethod
    def run(self, run_id: int) -> Run | None: ...

    @abstractmethod
    def actions(self, run_id: int) -> list[ActionRecord]: ...

    @abstractmethod
    def latest_runs(self, tenants: Collection[str] | None = None) -> list[Run]: ...

    @abstractmethod
    def decide_blocked(self, run_id: int, outcome: RunOutcome, by: str, at: datetime, message: str) -> Run | None: ...

    @abstractmethod
    def replace_actions(self, run_id: int, replacements: Mapping[int, ActionRecord]) -> None: ...
