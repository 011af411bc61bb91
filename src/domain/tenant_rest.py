"""A failing tenant rests: the tick leaves out a tenant's kind of session while its last run of that kind failed
(or was partial), until a growing rest has passed since that failure, so a tenant whose Workday is down (or
refuses its refresh token) is asked again less and less often and never holds the others up.

The rest is read from the ledger's runs, so every worker agrees: it is the failing streak's length so far (from
the last success, or from the streak's first failure the ledger shows), at least ``first`` and at most ``most``.
A streak that began an hour ago rests an hour: each try roughly doubles the wait, as a backoff does. A tenant
rests only while the ledger shows its failure; the first success clears it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.errors import InvalidValue
from domain.runs import Run, RunKind, RunOutcome

FAILING = frozenset({RunOutcome.FAILED, RunOutcome.PARTIAL})
"""The outcomes that make a tenant rest: those that make a kind failing (``KindStatus.failing``)."""


@dataclass(frozen=True, slots=True)
class RestPolicy:
    first: timedelta
    most: timedelta

    def __post_init__(self) -> None:
        if self.first <= timedelta(0):
            raise InvalidValue("first", "must be a positive duration")
        if self.most < self.first:
            raise InvalidValue("most", "must be at least the first rest")

    def rest(self, streak: timedelta) -> timedelta:
        return min(self.most, max(self.first, streak))


def resting(latest: Iterable[Run], policy: RestPolicy, now: datetime) -> dict[tuple[str, RunKind], datetime]:
    """For each (tenant, kind) resting at ``now``, when its rest ends. ``latest`` holds, per tenant and kind, the
    latest ended run of each outcome (``SyncLedger.latest_runs``)."""
    failed: dict[tuple[str, RunKind], Run] = {}
    other: dict[tuple[str, RunKind], Run] = {}
    for run in latest:
        key = (run.tenant, run.kind)
        held = failed if run.outcome in FAILING else other
        if key not in held or held[key].id < run.id:
            held[key] = run
    found: dict[tuple[str, RunKind], datetime] = {}
    for key, failure in failed.items():
        since = other.get(key)
        if since is not None and since.id > failure.id:
            continue
        failed_at = failure.finished_at or failure.started_at
        began = failure.started_at if since is None else (since.finished_at or since.started_at)
        until = failed_at + policy.rest(failed_at - began)
        if until > now:
            found[key] = until
    return found
