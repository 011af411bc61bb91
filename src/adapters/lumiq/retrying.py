"""Retrying one LumiQ request: 429, 5xx, timeouts and connection errors are tried again with exponential
backoff and jitter, honouring ``Retry-After``; every other answer is returned at once."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from tenacity import RetryCallState, RetryError, retry_if_exception_type

from adapters import retries
from adapters.lumiq.errors import LumiqGaveUp, LumiqRetryableStatus
from adapters.lumiq.wire import error_from_wire
from adapters.retries import Sleep

__all__ = ["RetryPolicy", "Sleep", "send_with_retries"]

_log = logging.getLogger(__name__)

_TRANSIENT = (LumiqRetryableStatus, httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True, slots=True)
class RetryPolicy(retries.RetryPolicy):
    """``adapters.retries.RetryPolicy``, with LumiQ's first retry after half a second."""

    backoff: float = 0.5


def _asked_wait(problem: BaseException | None) -> float | None:
    return problem.retry_after if isinstance(problem, LumiqRetryableStatus) else None


def send_with_retries(
    what: str, send: Callable[[], httpx.Response], policy: RetryPolicy, sleep: Sleep = time.sleep
) -> httpx.Response:
    """The first response to ``send`` that is not worth retrying; raises ``LumiqGaveUp`` when the policy
    runs out. ``what`` names the request (method and path) in log records."""
    attempts = retries.retrying(
        policy,
        retry=retry_if_exception_type(_TRANSIENT),
        retry_after=_asked_wait,
        sleep=sleep,
        before_sleep=lambda retry_state: _log_retry(what, retry_state),
    )
    try:
        return attempts(_attempt, send)
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
