from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime, timedelta

from domain.alerts import HeldIncident, Incident, NoticeKind
from domain.ports.incident_log import IncidentLog


class InMemoryIncidentLog(IncidentLog):
    def __init__(self) -> None:
        self._held: dict[str, HeldIncident] = {}
        self._claims: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def held(self) -> list[HeldIncident]:
        with self._lock:
            return sorted(self._held.values(), key=lambda h: (h.incident.opened_at, h.incident.key))

    def open(self, incident: Incident) -> bool:
        with self._lock:
            held = self._held.get(incident.key)
            if held is None:
                self._held[incident.key] = HeldIncident(incident)
                return True
            if not held.is_open:
                alerted = held.alerted - held.recovered
                self._held[incident.key] = replace(held, alerted=alerted, cleared_at=None, recovered=frozenset())
            return False

    def clear(self, key: str, at: datetime) -> bool:
        with self._lock:
            held = self._held.get(key)
            if held is None or not held.is_open:
                return False
            if held.alerted:
                self._held[key] = replace(held, cleared_at=at)
            else:
                del self._held[key]
            return True

    def claim(self, key: str, now: datetime, lease: timedelta) -> HeldIncident | None:
        with self._lock:
            held = self._held.get(key)
            if held is None or self._claims.get(key, now) > now:
                return None
            self._claims[key] = now + lease
            return held

    def reached(self, key: str, kind: NoticeKind, channels: Collection[str]) -> None:
        with self._lock:
            held = self._held.get(key)
            if held is None:
                return
            if kind is NoticeKind.ALERT:
                self._held[key] = replace(held, alerted=held.alerted | frozenset(channels))
            else:
                self._held[key] = replace(held, recovered=held.recovered | frozenset(channels))

    def release(self, key: str) -> None:
        with self._lock:
            self._claims.pop(key, None)

    def forget(self, key: str) -> None:
        with self._lock:
            self._held.pop(key, None)
            self._claims.pop(key, None)
