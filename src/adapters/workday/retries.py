"""Retrying one Learning API request: what may pass (throttling, an outage, a timeout, a processing fault, a
Server fault) is tried again with exponential backoff and jitter, honouring ``Retry-After``; what will not
(a validation fault, refused credentials, a configuration error) is raised at once."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from tenacity import RetryCallState, RetryError, retry_if_exception

from adapters.retries import RetryPolicy, Sleep, retrying
from adapters.workday.errors import WorkdayGaveUp, WorkdaySoapError, WorkdayUnavailable

__all__ = ["RetryPolicy", "Sleep", "call_with_retries"]

_log = logging.getLogger(__name__)
_T = TypeVar("_T")


def _is_retryable(error: BaseException) -> bool:
    return isinstance(error, WorkdaySoapError) and error.retryable


def _asked_wait(error: BaseException | None) -> float | None:
    return error.retry_after if isinstance(error, WorkdayUnavailable) else None


def call_with_retries(what: str, call: Callable[[], _T], policy: RetryPolicy, sleep: Sleep = time.sleep) -> _T:
    """``call``'s result; raises its error at once when it is not retryable, and ``WorkdayGaveUp`` (with the
    last error) when the policy runs out. ``what`` names the request in log records."""
    attempts = retrying(
        policy,
        retry=retry_if_exception(_is_retryable),
        retry_after=_asked_wait,
        sleep=sleep,
        before_sleep=lambda retry_state: _log_retry(what, retry_state),
    )
    try:
        return attempts(call)
    except RetryError as gave_up:
        last = gave_up.last_attempt
        error = last.exception()
        assert isinstance(error, WorkdaySoapError)  # only retryable errors are retried
        raise WorkdayGaveUp(
            f"{error} (gave up after {last.attempt_number} attempts)", attempts=last.attempt_number, last=error
        ) from error


def _log_retry(what: str, retry_state: RetryCallState) -> None:
    error = retry_state.outcome.exception() if retry_state.outcome else None
    _log.info(
        "Workday %s: attempt %d failed (%s); retrying in %.1fs",
        what,
        retry_state.attempt_number,
        error,
        retry_state.upcoming_sleep,
    )
