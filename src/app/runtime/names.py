"""The names the runtime gives the engine: its queues, its workflows, and each run's id.

A run's id says what it is: ``KIND@WHEN@TENANT``. A scheduled session's ``WHEN`` is its due time, so the tick and
a backfill that both reach one due time name the same run, which the engine runs once; a run started by hand has
``now-`` and a random part instead."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from domain.schedules import SyncKind

APPLICATION = "wlc"
VERSION = "wlc-runtime-1"
"""The engine's application version, fixed (not computed from the code, DBOS's default) so that workers on
different machines, and a worker started again after an upgrade, recover one another's runs. Change it only when
a run started by the old code could not be carried on by the new."""

SESSIONS = "wlc-tenant-sessions"
"""Partitioned by tenant, at most one running per partition across every worker."""
TRIGGERS = "wlc-triggers"
"""Runs started by hand: deduplicated per tenant and kind while one is queued or running."""
TICKS = "wlc-ticks"
"""The tick's times, one running at a time across every worker."""

SESSION_WORKFLOW = "wlc.session"
TRIGGER_WORKFLOW = "wlc.trigger"
TICK_WORKFLOW = "wlc.tick"
TICK_SCHEDULE = "wlc-tick"


@dataclass(frozen=True, slots=True)
class RunName:
    kind: SyncKind
    when: str
    tenant: str

    @property
    def id(self) -> str:
        return f"{self.kind.value}@{self.when}@{self.tenant}"

    @classmethod
    def scheduled(cls, tenant: str, kind: SyncKind, due: datetime) -> RunName:
        return cls(kind, due.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), tenant)

    @classmethod
    def by_hand(cls, tenant: str, kind: SyncKind) -> RunName:
        return cls(kind, f"now-{uuid.uuid4().hex[:12]}", tenant)

    @classmethod
    def parse(cls, run_id: str) -> RunName | None:
        """The run an id names; None for an id the runtime did not make."""
        kind, _, rest = run_id.partition("@")
        when, _, tenant = rest.partition("@")
        if not tenant or kind not in SyncKind.__members__.values():
            return None
        return cls(SyncKind(kind), when, tenant.removesuffix(SESSION_SUFFIX))


SESSION_SUFFIX = "/session"
"""A run started by hand is a trigger that enqueues its session under the trigger's id and this suffix."""


def dedup_key(tenant: str, kind: SyncKind) -> str:
    return f"{kind.value}@{tenant}"
