"""Retrying one LumiQ request: 429, 5xx, timeouts and connection errors are tried again with exponential
backoff and jitter, honouring ``Retry-After``; every other answer is returned at once. The retrying itself is
``adapters.retries``; this module says which LumiQ failures pass and where their wait is."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from typing import Final

import httpx
from tenacity import RetryCallState, retry_if_exception_type

from adapters import retries
from adapters.lumiq.errors import LumiqGaveUp, LumiqRetryableStatus
from adapters.lumiq.wire import error_from_wire
from adapters.retries import RetryPolicy, Sleep, retry_after

_log = logging.getLogger(__name__)

LUMIQ_RETRY: Final = RetryPolicy(backoff=0.5)
"""The default policy for LumiQ: ``RetryPolicy``'s, with the first retry after half a second."""

_TRANSIENT = (LumiqRetryableStatus, httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def _asked_wait(problem: BaseException | None) -> float | None:
    return problem.retry_after if isinstance(problem, LumiqRetryableStatus) else None


def _gave_up(attempts: int, problem: BaseException | None) -> LumiqGaveUp:
    return LumiqGaveUp(f"LumiQ did not answer after {attempts} attempts: {_describe(problem)}", attempts=attempts)


def send_with_retries(
    what: str, send: Callable[[], httpx.Response], policy: RetryPolicy, sleep: Sleep = time.sleep
) -> httpx.Response:
    """The first response to ``send`` that is not worth retrying; raises ``LumiqGaveUp`` when the policy
    runs out. ``what`` names the request (method and path) in log records."""
    return retries.call_with_retries(
        partial(_attempt, send),
        policy,
        retry=retry_if_exception_type(_TRANSIENT),
        asked_wait=_asked_wait,
        gave_up=_gave_up,
        sleep=sleep,
        before_sleep=lambda retry_state: _log_retry(what, retry_state),
    )


def _attempt(send: Callable[[], httpx.Response]) -> httpx.Response:
    response = send()
    if response.status_code == 429 or response.status_code >= 500:
        detail = error_from_wire(response.content)
        raise LumiqRetryableStatus(
            response.status_code,
            detail.code if detail else response.reason_phrase,
            retry_after(response.headers.get("Retry-After")),
        )
    return response


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
