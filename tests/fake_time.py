"""Time for tests of rate limits: a clock that moves only when someone sleeps, and the busiest window of starts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable


class FakeClock:
    """Time moves only when someone sleeps. A sleep ends ``seconds`` after the time its thread last read, the
    time the sleeper computed its wait from, as a real sleep would; concurrent sleeps do not add up. A ``yielding``
    clock lets other threads run at each sleep (``time.sleep(0)`` waits for nothing), so threads interleave as
    they would in real time rather than each running its loop to the end."""

    def __init__(self, *, yielding: bool = False) -> None:
        self.now = 0.0
        self._yielding = yielding
        self._lock = threading.Lock()
        self._seen = threading.local()

    def __call__(self) -> float:
        with self._lock:
            self._seen.at = self.now
            return self.now

    def advance_to(self, when: float) -> None:
        with self._lock:
            self.now = max(self.now, when)

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        with self._lock:
            self.now = max(self.now, getattr(self._seen, "at", self.now) + seconds)
        if self._yielding:
            time.sleep(0)


def most_starts_in_one_window(starts: Iterable[float], window: float = 1.0) -> int:
    """The most of ``starts`` in any half-open window ``[t, t + window)``."""
    ordered = sorted(starts)
    most, first = 0, 0
    for last, start in enumerate(ordered):
        while ordered[first] + window <= start:
            first += 1
        most = max(most, last - first + 1)
    return most
