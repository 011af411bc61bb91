"""The sandbox's clock: it runs with real time from the population's "today" and can be moved by tests."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from datetime import time as clock_time


class SandboxClock:
    """Seconds since the epoch, starting at noon UTC on ``today`` and running with the wall clock; ``advance``
    moves it forward (to expire tokens or idempotency keys without waiting)."""

    def __init__(self, today: date) -> None:
        self._start = datetime.combine(today, clock_time(12, 0), UTC).timestamp()
        self._started_at = time.monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._start + (time.monotonic() - self._started_at) + self._offset

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            self._offset += seconds
