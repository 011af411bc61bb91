"""A tenant's status at a glance, as the people who run the connector read it (``wlc status``, and the console): per
kind of run the last success and the last failure and when the next scheduled run is due; deliveries and the
outbox; refused completions; the plan the removal guard holds back and the report rows the last membership run
rejected; whether the tenant is paused; the refresh token's last success and refusal. A read model: built from
what the ledger holds, by one query per source for every tenant at once, never stored."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain.errors import InvalidValue
from domain.runs import Run, RunKind, RunOutcome
from domain.schedules import TenantSchedule

FAILURES = frozenset({RunOutcome.FAILED, RunOutcome.PARTIAL})
"""The outcomes that count as a failed run: nothing or only part of it was applied."""


def _aware(name: str, moment: datetime | None) -> None:
    if moment is not None and moment.utcoffset() is None:
        raise InvalidValue(name, "must carry a time zone")


@dataclass(frozen=True, slots=True)
class TenantProfile:
    """What a tenant's status needs from its settings: its time zone, its schedules and whether it is paused."""

    name: str
    zone: ZoneInfo
    schedule: TenantSchedule = field(default_factory=TenantSchedule)
    paused: bool = False


@dataclass(frozen=True, slots=True)
class RunMark:
    """One run as a status names it: its id, when it ended, its outcome and message."""

    run_id: int
    at: datetime
    outcome: RunOutcome
    message: str = ""

    def __post_init__(self) -> None:
        _aware("at", self.at)

    @staticmethod
    def of(run: Run) -> RunMark:
        return RunMark(run.id, run.finished_at or run.started_at, run.outcome, run.message)


@dataclass(frozen=True, slots=True)
class KindStatus:
    """One kind of run: the last that succeeded, the last that failed (``FAILURES``), and the next scheduled
    start (None when the kind has no schedule, or it or the tenant is paused)."""

    kind: RunKind
    last_success: RunMark | None = None
    last_failure: RunMark | None = None
    next_run: datetime | None = None
    scheduled: bool = False
    paused: bool = False

    def __post_init__(self) -> None:
        _aware("next_run", self.next_run)

    @property
    def failing(self) -> bool:
        """The last run of the kind that ended either way failed."""
        failure, success = self.last_failure, self.last_success
        return failure is not None and (success is None or failure.run_id > success.run_id)


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """The completion outbox of one tenant: ``depth`` entries pending, the oldest since ``oldest_pending``; the
    last delivered, and the last failed attempt (refused, or to be retried); the completions Workday refused for
    good (``refused``), the latest when and why."""

    depth: int = 0
    oldest_pending: datetime | None = None
    last_delivered: datetime | None = None
    last_failed: datetime | None = None
    refused: int = 0
    last_refused: datetime | None = None
    last_refusal: str | None = None

    def __post_init__(self) -> None:
        for name in ("oldest_pending", "last_delivered", "last_failed", "last_refused"):
            _aware(name, getattr(self, name))
        if self.depth < 0 or self.refused < 0:
            raise InvalidValue("depth", "counts cannot be negative")


@dataclass(frozen=True, slots=True)
class TokenStatus:
    """The tenant's OAuth refresh token: when Workday last granted a token with it, and when it last refused it
    (and why). None where the tenant has not refreshed since these were recorded, or does not use OAuth."""

    last_success: datetime | None = None
    last_refusal: datetime | None = None
    refusal: str | None = None

    def __post_init__(self) -> None:
        _aware("last_success", self.last_success)
        _aware("last_refusal", self.last_refusal)

    @property
    def refused(self) -> bool:
        """Workday refused the token, and has granted none since."""
        refusal, success = self.last_refusal, self.last_success
        return refusal is not None and (success is None or refusal > success)

    def refused_at(self, moment: datetime) -> bool:
        """Workday had refused the token by ``moment`` and granted none between that refusal and ``moment``."""
        refusal, success = self.last_refusal, self.last_success
        return refusal is not None and refusal <= moment and (success is None or success < refusal or success > moment)


@dataclass(frozen=True, slots=True)
class TenantStatus:
    """A tenant's status ``as_of`` a moment. ``runs`` holds membership, transcripts and reconcile, in that order.
    ``blocked_plan`` is the run whose plan the removal guard holds back, waiting for an operator (the tenant's
    latest membership run, when it ended blocked). ``rejected_rows`` counts the rows the last membership run that
    read the report rejected (``rejected_rows_run``), each kept in that run with its row and field.
    ``requests_last_minute`` is the Workday requests of the last minute where known: the ledger does not record
    them, so it is None until the metrics say."""

    tenant: str
    as_of: datetime
    paused: bool
    runs: tuple[KindStatus, ...]
    deliveries: DeliveryStatus = DeliveryStatus()
    token: TokenStatus = TokenStatus()
    blocked_plan: RunMark | None = None
    rejected_rows: int = 0
    rejected_rows_run: int | None = None
    requests_last_minute: int | None = None

    def __post_init__(self) -> None:
        _aware("as_of", self.as_of)

    def of(self, kind: RunKind) -> KindStatus:
        for status in self.runs:
            if status.kind is kind:
                return status
        return KindStatus(kind)

    @property
    def oldest_pending_age(self) -> timedelta | None:
        oldest = self.deliveries.oldest_pending
        return None if oldest is None else max(self.as_of - oldest, timedelta(0))


def tenant_status(
    profile: TenantProfile,
    as_of: datetime,
    latest: Iterable[Run],
    next_runs: Mapping[RunKind, datetime | None],
    deliveries: DeliveryStatus = DeliveryStatus(),
    token: TokenStatus = TokenStatus(),
) -> TenantStatus:
    """The status of ``profile``'s tenant from the latest run of each kind and outcome it has
    (``SyncLedger.latest_runs``; another tenant's are ignored), the next start of each scheduled kind, its
    deliveries and its token."""
    mine = [run for run in latest if run.tenant == profile.name and run.outcome is not RunOutcome.RUNNING]
    paused_kinds = {kind.value for kind in profile.schedule.paused}
    scheduled = {kind.value for kind in profile.schedule.crons()}
    runs = tuple(
        KindStatus(
            kind,
            last_success=_latest(mine, kind, {RunOutcome.SUCCEEDED}),
            last_failure=_latest(mine, kind, FAILURES),
            next_run=None if profile.paused or kind.value in paused_kinds else next_runs.get(kind),
            scheduled=kind.value in scheduled,
            paused=profile.paused or kind.value in paused_kinds,
        )
        for kind in RunKind
    )
    membership = sorted((run for run in mine if run.kind is RunKind.MEMBERSHIP), key=lambda run: run.id)
    planned = [run for run in membership if "rejected" in run.counts]
    return TenantStatus(
        tenant=profile.name,
        as_of=as_of,
        paused=profile.paused,
        runs=runs,
        deliveries=deliveries,
        token=token,
        blocked_plan=RunMark.of(membership[-1])
        if membership and membership[-1].outcome is RunOutcome.BLOCKED
        else None,
        rejected_rows=planned[-1].counts["rejected"] if planned else 0,
        rejected_rows_run=planned[-1].id if planned else None,
    )


def _latest(runs: Iterable[Run], kind: RunKind, outcomes: frozenset[RunOutcome] | set[RunOutcome]) -> RunMark | None:
    chosen = [run for run in runs if run.kind is kind and run.outcome in outcomes]
    return RunMark.of(max(chosen, key=lambda run: run.id)) if chosen else None
