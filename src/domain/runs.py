"""Sync runs and the actions they applied, as the ledger keeps them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidValue


class RunKind(StrEnum):
    MEMBERSHIP = "membership"
    TRANSCRIPTS = "transcripts"
    RECONCILE = "reconcile"
    """A ``reconcile --fix``: the corrections it made to Workday's enrollments."""


class RunOutcome(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    """Some actions failed; the rest were applied."""
    BLOCKED = "blocked"
    """The removal guard stopped the plan; nothing was applied."""
    FAILED = "failed"
    """The run could not plan or apply at all (a report or registry was unavailable)."""
    REJECTED = "rejected"
    """An operator rejected the plan the removal guard blocked; nothing was applied."""


class ActionResult(StrEnum):
    APPLIED = "applied"
    FAILED = "failed"
    PLANNED = "planned"
    """An action of a plan the removal guard blocked: kept as planned, applied only if an operator approves."""
    REJECTED = "rejected"
    """A report row the plan could not use (``domain.workers.MalformedRow``): never applied, listed for people."""


def _aware(name: str, moment: datetime | None) -> None:
    if moment is not None and moment.utcoffset() is None:
        raise InvalidValue(name, "must carry a time zone")


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """One applied (or attempted) action: ``kind`` (invite, update, remove, ...), ``subject`` (who or what),
    ``why`` (the plan's reason), ``result`` and, when it failed, ``error``. ``detail`` is the action as data
    (JSON types only), where it must be read back: a blocked plan's actions, applied as they were planned when
    an operator approves them, and a rejected row's number and field. ``approved_by`` names the operator who
    approved the blocked plan it belongs to."""

    kind: str
    subject: str
    why: str
    at: datetime
    result: ActionResult
    error: str | None = None
    detail: Mapping[str, object] | None = None
    approved_by: str | None = None

    def __post_init__(self) -> None:
        _aware("at", self.at)


@dataclass(frozen=True, slots=True)
class Run:
    id: int
    kind: RunKind
    tenant: str
    started_at: datetime
    outcome: RunOutcome = RunOutcome.RUNNING
    finished_at: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)
    message: str = ""
    decided_by: str | None = None
    """The operator who approved or rejected the plan this run's removal guard blocked (the outcome says which)."""

    def __post_init__(self) -> None:
        _aware("started_at", self.started_at)
        _aware("finished_at", self.finished_at)
