"""Retrying one Workday request (SOAP or REST): what may pass (throttling, an outage, a timeout, a processing
fault, a Server fault) is tried again with exponential backoff and jitter, honouring ``Retry-After``; what will
not (a validation fault, refused credentials, a configuration error) is raised at once. The retrying itself is
``adapters.retries``; this module says which Workday failures pass and where their wait is."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from tenacity import RetryCallState, retry_if_exception

from adapters import retries
from adapters.retries import RetryPolicy, Sleep
from adapters.workday import retry_events
from adapters.workday.errors import WorkdayGaveUp, WorkdaySoapError, WorkdayUnavailable

_log = logging.getLogger(__name__)
_T = TypeVar("_T")


def _is_retryable(error: BaseException) -> bool:
    return isinstance(error, WorkdaySoapError) and error.retryable


def _asked_wait(error: BaseException | None) -> float | None:
    return error.retry_after if isinstance(error, WorkdayUnavailable) else None


def _gave_up(attempts: int, error: BaseException | None) -> WorkdayGaveUp:
    assert isinstance(error, WorkdaySoapError)  # only retryable errors are retried
    return WorkdayGaveUp(f"{error} (gave up after {attempts} attempts)", attempts=attempts, last=error)


def call_with_retries(what: str, call: Callable[[], _T], policy: RetryPolicy, sleep: Sleep = time.sleep) -> _T:
    """``call``'s result; raises its error at once when it is not retryable, and ``WorkdayGaveUp`` (with the
    last error) when the policy runs out. ``what`` names the request in log records."""
    return retries.call_with_retries(
        call,
        policy,
        retry=retry_if_exception(_is_retryable),
        asked_wait=_asked_wait,
        gave_up=_gave_up,
        sleep=sleep,
        before_sleep=lambda retry_state: _log_retry(what, retry_state),
    )


def _log_retry(what: str, retry_state: RetryCallState) -> None:
    error = retry_state.outcome.exception() if retry_state.outcome else None
    retry_events.retried(what)
    _log.info(
        "Workday %s: attempt %d failed (%s); retrying in %.1fs",
        what,
        retry_state.attempt_number,
        error,
        retry_state.upcoming_sleep,
    )
