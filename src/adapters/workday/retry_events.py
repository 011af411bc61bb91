"""Who is told when a Workday request is tried again: listeners the application adds (its metrics count
retries), called in the thread that retries, before it waits. The adapters know no metrics library."""

from __future__ import annotations

import logging
from collections.abc import Callable

RetryListener = Callable[[str], None]
"""Told what is retried (``what``, as the retrying names it in its log records)."""

_log = logging.getLogger(__name__)
_listeners: list[RetryListener] = []


def listen(listener: RetryListener) -> None:
    """Adds ``listener``, once however often it is added."""
    if listener not in _listeners:
        _listeners.append(listener)


def retried(what: str) -> None:
    for listener in list(_listeners):
        try:
            listener(what)
        except Exception:  # a listener's bug must not fail the request it watches
            _log.exception("a retry listener failed")
