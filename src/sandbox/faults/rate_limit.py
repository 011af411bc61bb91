"""A per-tenant sliding-window rate limit: at most ``limit`` requests accepted in any one-second window.

Inferred: Workday publishes no numbers; StackOne observes 5-10 requests per second (reference 4.4). The limiter
records when it accepted each request, so tests and benchmarks can check that no window held more than the limit.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable

WINDOW_SECONDS = 1.0


class SandboxThrottle:
    """``limit`` None accepts everything (and still records it). ``now`` is a monotonic clock in seconds."""

    def __init__(self, limit: int | None, now: Callable[[], float] = time.monotonic) -> None:
        if limit is not None and limit <= 0:
            raise ValueError("the rate limit must be positive")
        self.limit = limit
        self._now = now
        self._lock = threading.Lock()
        self._recent: dict[str, deque[float]] = {}
        self._accepted: dict[str, list[float]] = {}
        self._refused: Counter[str] = Counter()

    def accept(self, tenant: str) -> bool:
        """True (and the request is recorded) when ``tenant`` has had fewer than ``limit`` requests accepted in
        the last second; False, to be answered with a 429, otherwise."""
        with self._lock:
            now = self._now()
            recent = self._recent.setdefault(tenant, deque())
            while recent and recent[0] <= now - WINDOW_SECONDS:
                recent.popleft()
            if self.limit is not None and len(recent) >= self.limit:
                self._refused[tenant] += 1
                return False
            recent.append(now)
            self._accepted.setdefault(tenant, []).append(now)
            return True

    def accepted_times(self, tenant: str) -> list[float]:
        """When each accepted request was accepted, in order (the ``now`` clock)."""
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
