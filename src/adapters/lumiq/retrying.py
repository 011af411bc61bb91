"""Retrying one LumiQ request: 429, 5xx, timeouts and connection errors are tried again with exponential
backoff and jitter, honouring ``Retry-After``; every other answer is returned at once."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from tenacity import RetryCallState, RetryError, Retrying, retry_if_exception_type, stop_after_attempt
from tenacity.stop import stop_base
from tenacity.wait import wait_base, wait_exponential_jitter

from adapters.lumiq.errors import LumiqGaveUp, LumiqRetryableStatus
from adapters.lumiq.wire import error_from_wire

_log = logging.getLogger(__name__)

Sleep = Callable[[float], None]

_TRANSIENT = (LumiqRetryableStatus, httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """``attempts`` bounds the tries of one request (the first included); ``max_total_wait`` bounds the
    seconds slept between them: a ``Retry-After`` that would pass it ends the retries instead of waiting.
    Backoff is ``backoff * 2**n`` plus up to ``jitter`` seconds, at most ``max_wait``."""

    attempts: int = 5
    backoff: float = 0.5
    max_wait: float = 30.0
    jitter: float = 1.0
    max_total_wait: float = 120.0


class _RetryAfterOrBackoff(wait_base):
    def __init__(self, policy: RetryPolicy) -> None:
        self._backoff = wait_exponential_jitter(multiplier=policy.backoff, max=policy.max_wait, jitter=policy.jitter)

    def __call__(self, retry_state: RetryCallState) -> float:
        problem = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(problem, LumiqRetryableStatus) and problem.retry_after is not None:
            return problem.retry_after
        return self._backoff(retry_state)


class _TotalWaitExceeded(stop_base):
    """Counts the seconds planned to sleep rather than the clock, so it holds with an injected sleep."""

    def __init__(self, max_total_wait: float) -> None:
        self._max = max_total_wait

    def __call__(self, retry_state: RetryCallState) -> bool:
        return retry_state.idle_for + (retry_state.upcoming_sleep or 0.0) > self._max


def send_with_retries(
    what: str, send: Callable[[], httpx.Response], policy: RetryPolicy, sleep: Sleep = time.sleep
) -> httpx.Response:
    """The first response to ``send`` that is not worth retrying; raises ``LumiqGaveUp`` when the policy
    runs out. ``what`` names the request (method and path) in log records."""
    retrying = Retrying(
        retry=retry_if_exception_type(_TRANSIENT),
        wait=_RetryAfterOrBackoff(policy),
        stop=stop_after_attempt(policy.attempts) | _TotalWaitExceeded(policy.max_total_wait),
        sleep=sleep,
        before_sleep=lambda retry_state: _log_retry(what, retry_state),
    )
    try:
        return retrying(_attempt, send)
    except RetryError as gave_up:
        last = gave_up.last_attempt
        raise LumiqGaveUp(
            f"LumiQ did not answer after {last.attempt_number} attempts: {_describe(last.exception())}",
            attempts=last.attempt_number,
        ) from last.exception()


def _attempt(send: Callable[[], httpx.Response]) -> httpx.Response:
    response = send()
    if response.status_code == 429 or response.status_code >= 500:
        detail = error_from_wire(response.content)
        raise LumiqRetryableStatus(
            response.status_code,
            detail.code if detail else response.reason_phrase,
            _retry_after(response.headers.get("Retry-After")),
        )
    return response


def _retry_after(header: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header; an HTTP-date or garbage falls back to the backoff."""
    if header is None:
        return None
    try:
        seconds = float(header)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _describe(problem: BaseException | None) -> str:
    if isinstance(problem, httpx.TimeoutException):
        return "timed out"
    if isinstance(problem, httpx.TransportError):
        return f"connection failed ({type(problem).__name__})"
    return str(problem)


def _log_retry(what: str, retry_state: RetryCallState) -> None:
    problem = retry_state.outcome.exception() if retry_state.outcome else None
    _log.warning(
        "LumiQ %s: attempt %d failed (%s); retrying in %.1fs",
        what,
        retry_state.attempt_number,
        _describe(problem),
        retry_state.upcoming_sleep,
    )
