from __future__ import annotations

from abc import abstractmethod
from datetime import datetime
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """The current time. ``now`` is always time-zone aware (UTC is fine: callers convert to the tenant's
    zone, since "today" for a termination date is the tenant's local date)."""

    @abstractmethod
    def now(self) -> datetime: ...
