"""Retrying one Learning API request: what may pass (throttling, an outage, a timeout, a processing fault, a
Server fault) is tried again with exponential backoff and jitter, honouring ``Retry-After``; what will not
(a validation fault, refused credentials, a configuration error) is raised at once."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import RetryCallState, RetryError, Retrying, retry_if_exception, stop_after_attempt
from tenacity.stop import stop_base
from tenacity.wait import wait_base, wait_exponential_jitter

from adapters.workday.errors import WorkdayGaveUp, WorkdaySoapError, WorkdayUnavailable

_log = logging.getLogger(__name__)

Sleep = Callable[[float], None]
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """``attempts`` bounds the tries of one request (the first included); ``max_total_wait`` bounds the seconds
    slept between them: a wait (``Retry-After`` or backoff) that would pass it ends the retries instead.
    Backoff is ``backoff * 2**n`` plus up to ``jitter`` seconds, at most ``max_wait``."""

    attempts: int = 5
    backoff: float = 1.0
    max_wait: float = 30.0
    jitter: float = 1.0
    max_total_wait: float = 120.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")


def _is_retryable(error: BaseException) -> bool:
    return isinstance(error, WorkdaySoapError) and error.retryable


class _RetryAfterOrBackoff(wait_base):
    def __init__(self, policy: RetryPolicy) -> None:
        self._backoff = wait_exponential_jitter(multiplier=policy.backoff, max=policy.max_wait, jitter=policy.jitter)

    def __call__(self, retry_state: RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(error, WorkdayUnavailable) and error.retry_after is not None:
            return error.retry_after
        return float(self._backoff(retry_state))


class _TotalWaitExceeded(stop_base):
    """Counts the seconds planned to sleep, not the clock, so it holds with an injected sleep."""

    def __init__(self, max_total_wait: float) -> None:
        self._max = max_total_wait

    def __call__(self, retry_state: RetryCallState) -> bool:
        return retry_state.idle_for + (retry_state.upcoming_sleep or 0.0) > self._max


def call_with_retries(what: str, call: Callable[[], _T], policy: RetryPolicy, sleep: Sleep = time.sleep) -> _T:
    """``call``'s result; raises its error at once when it is not retryable, and ``WorkdayGaveUp`` (with the
    last error) when the policy runs out. ``what`` names the request in log records."""
    retrying = Retrying(
        retry=retry_if_exception(_is_retryable),
        wait=_RetryAfterOrBackoff(policy),
        stop=stop_after_attempt(policy.attempts) | _TotalWaitExceeded(policy.max_total_wait),
        sleep=sleep,
        before_sleep=lambda retry_state: _log_retry(what, retry_state),
    )
    try:
        return retrying(call)
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
