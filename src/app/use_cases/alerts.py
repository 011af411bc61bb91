"""Evaluating alerts once: the tenants' statuses against the incidents the log holds, then every notice owed.
The runtime calls it periodically; ``wlc alerts check`` calls it once. Running it again with nothing changed
sends nothing; two processes running it at once open each incident once and send each notice once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta

from returns.result import Failure, Success

from domain.alerts import (
    AlertPolicy,
    HeldIncident,
    Incident,
    Notice,
    NoticeKind,
    decide_alerts,
    notices_due,
)
from domain.ports.alert_channel import AlertChannel
from domain.ports.clock import Clock
from domain.ports.incident_log import IncidentLog
from domain.tenant_status import TenantStatus

_log = logging.getLogger(__name__)

NOTICE_LEASE = timedelta(minutes=5)
"""How long one evaluation holds an incident while it sends its notice: longer than a channel's retries take."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One notice to one channel, and why it failed (None: it was taken)."""

    notice: Notice
    channel: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class AlertReport:
    """What one evaluation did: the incidents it opened, the keys it cleared, each notice it sent or failed to
    send, and the incidents held afterwards."""

    opened: tuple[Incident, ...]
    cleared: tuple[str, ...]
    deliveries: tuple[Delivery, ...]
    held: tuple[HeldIncident, ...]

    @property
    def failures(self) -> tuple[Delivery, ...]:
        return tuple(d for d in self.deliveries if d.error is not None)


class EvaluateAlerts:
    """Opens the incidents the statuses show and the log does not hold, clears those they no longer show, and
    sends each incident's alert (or recovery notice) to every channel of its tenant still owed it. A channel
    that fails is tried again at the next evaluation; the others are not sent it twice.

    Evaluating every tenant (``tenants`` None) also clears the incidents of a tenant that no longer exists."""

    def __init__(
        self,
        status: Callable[[Collection[str] | None], list[TenantStatus]],
        log: IncidentLog,
        policy_for: Callable[[str], AlertPolicy],
        channels_for: Callable[[str], Sequence[AlertChannel]],
        clock: Clock,
    ) -> None:
        self._status = status
        self._log = log
        self._policy_for = policy_for
        self._channels_for = channels_for
        self._clock = clock

    def __call__(self, tenants: Collection[str] | None = None) -> AlertReport:
        statuses = self._status(tenants)
        open_incidents = [held.incident for held in self._log.held() if held.is_open]
        watched = None if tenants is not None else {status.tenant for status in statuses}
        decision = decide_alerts(open_incidents, statuses, self._policy_for, watched)
        opened = tuple(incident for incident in decision.opened if self._log.open(incident))
        now = self._clock.now()
        cleared = tuple(key for key in decision.cleared if self._log.clear(key, now))
        deliveries: list[Delivery] = []
        for held in self._log.held():
            if tenants is None or held.incident.tenant in tenants:
                deliveries.extend(self._notify(held))
        return AlertReport(opened, cleared, tuple(deliveries), tuple(self._log.held()))

    def _notify(self, held: HeldIncident) -> list[Delivery]:
        channels = {channel.name: channel for channel in self._channels_for(held.incident.tenant)}
        kind, due = notices_due(held, channels)
        if not due:
            if kind is NoticeKind.RECOVERY:
                self._log.forget(held.incident.key)
            return []
        claimed = self._log.claim(held.incident.key, self._clock.now(), NOTICE_LEASE)
        if claimed is None:
            return []  # another evaluation is sending it
        try:
            kind, due = notices_due(claimed, channels)
            notice = Notice(kind, claimed.incident, claimed.cleared_at)
            deliveries = [self._send(notice, channels[name]) for name in sorted(due)]
            reached = {d.channel for d in deliveries if d.error is None}
            self._log.reached(claimed.incident.key, kind, reached)
            if kind is NoticeKind.RECOVERY and reached == due:
                self._log.forget(claimed.incident.key)
            return deliveries
        finally:
            self._log.release(held.incident.key)

    def _send(self, notice: Notice, channel: AlertChannel) -> Delivery:
        match channel.send(notice):
            case Success(_):
                _log.info("sent %s %s to %s", notice.kind, notice.incident.key, channel.name)
                return Delivery(notice, channel.name)
            case Failure(error):
                _log.warning("could not send %s %s to %s: %s", notice.kind, notice.incident.key, channel.name, error)
                return Delivery(notice, channel.name, str(error))
        raise AssertionError("unreachable")  # pragma: no cover
