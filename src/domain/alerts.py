"""Alerts: which incidents a tenant's status shows, which of them are new and which have cleared.

An incident is a condition that needs a person, keyed so that it is one incident however long it lasts:
- a kind of run is failing (its last run that ended either way failed or was partial), ``{tenant}/run-failed/{kind}``;
- the removal guard holds back a membership plan waiting for an operator, ``{tenant}/plan-blocked``;
- a scheduled kind has had no successful run for longer than its threshold, ``{tenant}/stale/{kind}`` (a tenant or
  kind paused, or never successful, is not stale: a kind that never succeeds is failing);
- the outbox's oldest pending entry is older than the threshold, ``{tenant}/outbox-old`` (not while the tenant
  is paused: its outbox waits on purpose);
- Workday refused the refresh token and has granted none since, ``{tenant}/token-refused``: while it is, the runs
  it makes fail are not incidents of their own (one cause, one alert), nor, once a token is granted again, is the
  last of them, which ended while the token stood refused: the next run says whether the tenant is well.

``decide_alerts`` compares the incidents held open with the ones the current statuses show: one alert when an
incident opens (not per failed retry, not per evaluation), one recovery notice when its condition clears; the same
statuses evaluated twice decide nothing new. ``notices_due`` says which channels still owe an incident its alert
or its recovery notice, so a channel that failed is tried again and one that was reached is not."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import InvalidValue
from domain.runs import RunKind
from domain.tenant_status import TenantStatus


class Condition(StrEnum):
    RUN_FAILED = "run-failed"
    PLAN_BLOCKED = "plan-blocked"
    STALE = "stale"
    OUTBOX_OLD = "outbox-old"
    TOKEN_REFUSED = "token-refused"  # noqa: S105 (a condition, not a secret)


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    """A tenant's thresholds: ``stale_after`` per kind of run (a kind not in it is never stale) and the age past
    which the outbox's oldest pending entry is an incident (None: never)."""

    stale_after: Mapping[RunKind, timedelta] = field(default_factory=dict)
    outbox_older_than: timedelta | None = None

    def __post_init__(self) -> None:
        for kind, after in self.stale_after.items():
            if after <= timedelta(0):
                raise InvalidValue(f"stale_after.{kind}", "must be a positive duration")
        if self.outbox_older_than is not None and self.outbox_older_than <= timedelta(0):
            raise InvalidValue("outbox_older_than", "must be a positive duration")


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident as it opened: its key, tenant, condition, the kind of run it is about (if any), what a person
    reads, and when."""

    key: str
    tenant: str
    condition: Condition
    summary: str
    opened_at: datetime
    kind: RunKind | None = None

    def __post_init__(self) -> None:
        if self.opened_at.utcoffset() is None:
            raise InvalidValue("opened_at", "must carry a time zone")


def incident_key(tenant: str, condition: Condition, kind: RunKind | None = None) -> str:
    return f"{tenant}/{condition}" + ("" if kind is None else f"/{kind}")


def incidents_of(status: TenantStatus, policy: AlertPolicy) -> list[Incident]:
    """The incidents ``status`` shows, each opened at the status's time."""
    found: list[Incident] = []
    tenant, now = status.tenant, status.as_of

    def add(condition: Condition, summary: str, kind: RunKind | None = None) -> None:
        found.append(Incident(incident_key(tenant, condition, kind), tenant, condition, summary, now, kind))

    for kind_status in status.runs:
        kind, failure = kind_status.kind, kind_status.last_failure
        token = status.token
        if kind_status.failing and failure is not None and not (token.refused or token.refused_at(failure.at)):
            said = f": {failure.message}" if failure.message else ""
            add(Condition.RUN_FAILED, f"{tenant}: {kind} run {failure.run_id} {failure.outcome}{said}", kind)
        threshold, success = policy.stale_after.get(kind), kind_status.last_success
        if (
            threshold is not None
            and success is not None
            and kind_status.scheduled
            and not kind_status.paused
            and now - success.at > threshold
        ):
            add(
                Condition.STALE,
                f"{tenant}: no successful {kind} run for {_hours(now - success.at)} (the last, run "
                f"{success.run_id}, at {success.at.isoformat()}; the threshold is {_hours(threshold)})",
                kind,
            )
    if status.blocked_plan is not None:
        run = status.blocked_plan.run_id
        add(
            Condition.PLAN_BLOCKED,
            f"{tenant}: the removal guard blocked membership run {run}'s plan ({status.blocked_plan.message}); "
            f"check the report, then 'wlc membership approve {run}' or 'wlc membership reject {run}'",
        )
    age = status.oldest_pending_age
    if (
        policy.outbox_older_than is not None
        and not status.paused
        and age is not None
        and age > policy.outbox_older_than
    ):
        add(
            Condition.OUTBOX_OLD,
            f"{tenant}: {status.deliveries.depth} completions wait in the outbox, the oldest for {_hours(age)}",
        )
    if status.token.refused:
        add(Condition.TOKEN_REFUSED, f"{tenant}: Workday refused the refresh token: {status.token.refusal}")
    return found


def _hours(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes / 60:.1f} h"


@dataclass(frozen=True, slots=True)
class AlertDecision:
    """The incidents to open (each gets one alert) and the keys of the open ones that cleared (each gets one
    recovery notice)."""

    opened: tuple[Incident, ...] = ()
    cleared: tuple[str, ...] = ()


def decide_alerts(
    open_incidents: Collection[Incident],
    statuses: Iterable[TenantStatus],
    policy_for: Callable[[str], AlertPolicy],
    watched: Collection[str] | None = None,
) -> AlertDecision:
    """What changes, given the incidents open now and the tenants' current statuses: the incidents shown that are
    not open, and the open ones no longer shown. An open incident of a tenant without a status is left alone,
    unless ``watched`` (the tenants that exist) leaves that tenant out: a tenant removed has no incident left."""
    shown: dict[str, Incident] = {}
    evaluated: set[str] = set()
    for status in statuses:
        evaluated.add(status.tenant)
        for incident in incidents_of(status, policy_for(status.tenant)):
            shown[incident.key] = incident
    open_keys = {incident.key for incident in open_incidents}
    opened = tuple(incident for key, incident in shown.items() if key not in open_keys)
    cleared = tuple(
        sorted(
            incident.key
            for incident in open_incidents
            if incident.key not in shown
            and (incident.tenant in evaluated or (watched is not None and incident.tenant not in watched))
        )
    )
    return AlertDecision(opened, cleared)


class NoticeKind(StrEnum):
    ALERT = "alert"
    RECOVERY = "recovery"


@dataclass(frozen=True, slots=True)
class HeldIncident:
    """An incident as the log holds it: open (``cleared_at`` None) or cleared with its recovery notice owed; the
    channels its alert reached, and those its recovery notice reached."""

    incident: Incident
    alerted: frozenset[str] = frozenset()
    cleared_at: datetime | None = None
    recovered: frozenset[str] = frozenset()

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


def notices_due(held: HeldIncident, channels: Collection[str]) -> tuple[NoticeKind, frozenset[str]]:
    """The notice an incident owes and the channels still owed it: while open, its alert to each channel not yet
    reached; once cleared, its recovery notice to each channel its alert reached (a channel that never heard of
    the incident hears nothing of its end). An empty set: nothing owed (a cleared incident with none owed is
    over)."""
    if held.is_open:
        return NoticeKind.ALERT, frozenset(channels) - held.alerted
    return NoticeKind.RECOVERY, (held.alerted & frozenset(channels)) - held.recovered


@dataclass(frozen=True, slots=True)
class Notice:
    """What a channel is sent: an incident's alert, or its recovery notice (with when it cleared)."""

    kind: NoticeKind
    incident: Incident
    cleared_at: datetime | None = None

    @property
    def subject(self) -> str:
        condition = self.incident.condition
        about = f"{self.incident.kind} {condition}" if self.incident.kind else str(condition)
        if self.kind is NoticeKind.ALERT:
            return f"[wlc] ALERT {self.incident.tenant}: {about}"
        return f"[wlc] RECOVERED {self.incident.tenant}: {about}"

    @property
    def text(self) -> str:
        """One message a person reads: a chat line (Slack's ``text``) or an email's body."""
        if self.kind is NoticeKind.ALERT:
            return f"{self.subject}\n{self.incident.summary}\nSince {self.incident.opened_at.isoformat()}."
        lasted = "" if self.cleared_at is None else f" after {_hours(self.cleared_at - self.incident.opened_at)}"
        return f"{self.subject}\nCleared{lasted}: {self.incident.summary}"
