from __future__ import annotations

from datetime import datetime, timedelta

from domain.errors import InvalidValue
from domain.ports.clock import Clock


class FixedClock(Clock):
    """A clock that shows ``moment`` until moved with ``advance``."""

    def __init__(self, moment: datetime) -> None:
        if moment.utcoffset() is None:
            raise InvalidValue("moment", "must carry a time zone")
        self._moment = moment

    def now(self) -> datetime:
        return self._moment

    def advance(self, by: timedelta) -> None:
        self._moment += by
