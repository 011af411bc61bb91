"""Sync runs and the actions they applied, as the ledger keeps them."""

from __future__ import annotations

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


class ActionResult(StrEnum):
    APPLIED = "applied"
    FAILED = "failed"


def _aware(name: str, moment: datetime | None) -> None:
    if moment is not None and moment.utcoffset() is None:
        raise InvalidValue(name, "must carry a time zone")


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """One applied (or attempted) action: ``kind`` (invite, update, remove, ...), ``subject`` (who or what),
    ``why`` (the plan's reason), ``result`` and, when it failed, ``error``."""

    kind: str
    subject: str
    why: str
    at: datetime
    result: ActionResult
    error: str | None = None

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

    def __post_init__(self) -> None:
        _aware("started_at", self.started_at)
        _aware("finished_at", self.finished_at)
