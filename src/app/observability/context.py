"""The context a run's or request's work carries into the threads it starts."""

from __future__ import annotations

import contextvars
from collections.abc import Callable


def carry_context() -> Callable[[], None]:
    """A ``ThreadPoolExecutor`` initializer giving its threads the caller's context as it is now (the tenant and
    run the log records name, the span the Workday calls are children of): a new thread starts with an empty one."""
    snapshot = contextvars.copy_context()

    def inherit() -> None:
        for variable, value in snapshot.items():
            variable.set(value)

    return inherit
