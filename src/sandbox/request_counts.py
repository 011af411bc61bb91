"""Counts of the requests the sandbox served, per side, in total and per second of wall-clock time, and of its
answers by status."""

from __future__ import annotations

import threading
import time
from collections import Counter

from sandbox.faults import Side


class RequestCounts:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._totals: Counter[Side] = Counter()
        self._per_second: dict[Side, Counter[int]] = {"workday": Counter(), "lumiq": Counter()}
        self._paths: Counter[tuple[str, str]] = Counter()
        self._statuses: Counter[tuple[Side, int]] = Counter()

    def record(self, side: Side, method: str, path: str) -> None:
        with self._lock:
            self._totals[side] += 1
            self._per_second[side][int(time.monotonic())] += 1
            self._paths[method, path] += 1

    def record_answer(self, side: Side, status: int) -> None:
        with self._lock:
            self._statuses[side, status] += 1

    def answered(self, side: Side, status: int) -> int:
        """How many requests to ``side`` were answered with ``status``."""
        with self._lock:
            return self._statuses[side, status]

    def total(self, side: Side | None = None) -> int:
        with self._lock:
            return self._totals[side] if side is not None else sum(self._totals.values())

    def per_second(self, side: Side) -> dict[int, int]:
        """Requests per whole second of ``time.monotonic()``."""
        with self._lock:
            return dict(self._per_second[side])

    def by_path(self, method: str, path: str) -> int:
        with self._lock:
            return self._paths[method, path]
