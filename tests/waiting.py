"""Waiting on a condition with a deadline, the way the tests wait on other processes (never a fixed sleep)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def until(found: Callable[[], T | None], what: str, deadline: float, every: float = 0.1) -> T:
    """The first truthy value ``found()`` gives, asked every ``every`` seconds; fails naming ``what`` after
    ``deadline`` seconds."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = found()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not within {deadline} s: {what}")
