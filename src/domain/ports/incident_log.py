from __future__ import annotations

from abc import abstractmethod
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from domain.alerts import HeldIncident, Incident, NoticeKind


@runtime_checkable
class IncidentLog(Protocol):
    """The incidents alerts are about, kept where every process sees them, so that an incident gets one alert and
    one recovery notice however many processes and evaluations see it.

    Contract:
    - ``held()`` lists every incident held, open or cleared with its recovery notice owed, oldest first.
    - ``open(incident)`` holds a new incident and returns True. When one of its key is held it returns False and
      changes nothing, except that one cleared (its recovery notice owed) is open again: it owes no recovery, and
      the channels its recovery notice already reached are owed its alert again (for them it is a new incident).
    - ``clear(key, at)`` marks the open incident of that key cleared at ``at`` and returns True; an incident whose
      alert reached no channel is forgotten at once, since no one heard of it. False when none is open.
    - ``claim(key, now, lease)`` claims the incident until ``now + lease`` to send its notices and returns it, when
      it is held and no live claim holds it; None otherwise. Two processes never send one notice at once.
    - ``reached(key, kind, channels)`` adds ``channels`` to those the incident's alert (or recovery notice) reached;
      ``release(key)`` ends a claim; ``forget(key)`` drops the incident, its recovery notice delivered.
    - A store that cannot be read or written raises ``domain.errors.LedgerUnavailable`` (a subclass).
    """

    @abstractmethod
    def held(self) -> list[HeldIncident]: ...

    @abstractmethod
    def open(self, incident: Incident) -> bool: ...

    @abstractmethod
    def clear(self, key: str, at: datetime) -> bool: ...

    @abstractmethod
    def claim(self, key: str, now: datetime, lease: timedelta) -> HeldIncident | None: ...

    @abstractmethod
    def reached(self, key: str, kind: NoticeKind, channels: Collection[str]) -> None: ...

    @abstractmethod
    def release(self, key: str) -> None: ...

    @abstractmethod
    def forget(self, key: str) -> None: ...
