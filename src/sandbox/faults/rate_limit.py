"""A per-tenant sliding-window rate limit: at most ``limit`` requests accepted in any one-second window.

Inferred: Workday publishes no numbers; StackOne observes 5-10 requests per second (reference 4.4). The limiter
records when each accepted request arrived, so tests and benchmarks can check that no window held more than the
limit.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections import Counter
from collections.abc import Callable

WINDOW_SECONDS = 1.0

ARRIVED = "arrived"
"""The key, in a request's ASGI ``state``, of when its first bytes were parsed (on ``time.monotonic()``)."""


class SandboxThrottle:
    """``limit`` None accepts everything (and still records it). ``now`` is a monotonic clock in seconds.

    Requests are counted by when they arrived, which the caller may give: a request's handler can run after that
    of one that arrived later (a busy event loop), so arrivals may be told out of order."""

    def __init__(self, limit: int | None, now: Callable[[], float] = time.monotonic) -> None:
        if limit is not None and limit <= 0:
            raise ValueError("the rate limit must be positive")
        self.limit = limit
        self._now = now
        self._lock = threading.Lock()
        self._accepted: dict[str, list[float]] = {}
        self._refused: Counter[str] = Counter()

    def accept(self, tenant: str, arrived: float | None = None) -> bool:
        """True (and the request is recorded) when accepting a request of ``tenant`` that arrived at ``arrived``
        (``now`` when not given) leaves no one-second window holding more than ``limit`` accepted requests;
        False, to be answered with a 429, otherwise."""
        with self._lock:
            moment = self._now() if arrived is None else arrived
            accepted = self._accepted.setdefault(tenant, [])
            if self.limit is not None and _would_exceed(accepted, moment, self.limit):
                self._refused[tenant] += 1
                return False
            bisect.insort(accepted, moment)
            return True

    def accepted_times(self, tenant: str) -> list[float]:
        """When each accepted request arrived, in order (the ``now`` clock)."""
        with self._lock:
            return list(self._accepted.get(tenant, ()))

    def accepted_per_second(self, tenant: str) -> dict[int, int]:
        """Accepted requests per whole second of the ``now`` clock."""
        return dict(Counter(int(moment) for moment in self.accepted_times(tenant)))

    def busiest_window(self, tenant: str) -> int:
        """The most requests accepted in any one-second sliding window (never above ``limit``)."""
        times = self.accepted_times(tenant)
        best, start = 0, 0
        for end, moment in enumerate(times):
            while times[start] <= moment - WINDOW_SECONDS:
                start += 1
            best = max(best, end - start + 1)
        return best

    def refused(self, tenant: str) -> int:
        with self._lock:
            return self._refused[tenant]


def _would_exceed(accepted: list[float], moment: float, limit: int) -> bool:
    """Whether some window ``(t - 1 s, t]`` would hold more than ``limit`` of ``accepted`` (sorted) and ``moment``:
    whether ``limit + 1`` consecutive times around ``moment`` span less than a second."""
    near = accepted[
        bisect.bisect_right(accepted, moment - WINDOW_SECONDS) : bisect.bisect_left(accepted, moment + WINDOW_SECONDS)
    ]
    bisect.insort(near, moment)
    return any(near[i + limit] - near[i] < WINDOW_SECONDS for i in range(len(near) - limit))
