"""Retries of one request, shared by the adapters: exponential backoff with jitter, or the server's
``Retry-After`` when it gave one, bounded by a number of attempts and by the total time slept. Each adapter
says which failures may pass (``retry``), where a failure carries its wait (``asked_wait``, read from the
response with ``retry_after``) and what it raises when the retries run out (``gave_up``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from tenacity import RetryCallState, RetryError, Retrying
from tenacity.retry import retry_base
from tenacity.stop import stop_after_attempt, stop_base
from tenacity.wait import wait_base, wait_exponential_jitter

from adapters.budget.lease import lease_held

Sleep = Callable[[float], None]
AskedWait = Callable[[BaseException | None], float | None]
"""The seconds a failure asks to wait (its ``Retry-After``), or None for the backoff."""
GaveUp = Callable[[int, BaseException | None], Exception]
"""The error to raise when the retries run out, from the number of attempts made and the last failure."""
_T = TypeVar("_T")


def retry_after(header: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delay-seconds, or an HTTP-date in any of its three forms
    (IMF-fixdate, RFC 850, asctime) as the seconds from ``now`` until then, 0 for a date past; None when absent,
    negative or not understood, which leaves the wait to the backoff."""
    if header is None:
        return None
    text = header.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            # The asctime form carries no zone; every HTTP-date is in GMT (RFC 9110, 5.6.7).
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
        return max(seconds, 0.0)
    return seconds if seconds >= 0 else None


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


class _RetryAfterOrBackoff(wait_base):
    def __init__(self, policy: RetryPolicy, asked_wait: AskedWait) -> None:
        self._backoff = wait_exponential_jitter(multiplier=policy.backoff, max=policy.max_wait, jitter=policy.jitter)
        self._asked_wait = asked_wait

    def __call__(self, retry_state: RetryCallState) -> float:
        asked = self._asked_wait(retry_state.outcome.exception() if retry_state.outcome else None)
        return asked if asked is not None else float(self._backoff(retry_state))


class _LeaseLost(stop_base):
    """A session's worker that lost its lease (``adapters.budget.lease``) tries nothing again: each attempt would be
    refused before it is sent, and what is left goes to a later run, on the worker that holds the session."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        return not lease_held()


class _TotalWaitExceeded(stop_base):
    """Counts the seconds planned to sleep, not the clock, so it holds with an injected sleep."""

    def __init__(self, max_total_wait: float) -> None:
        self._max = max_total_wait

    def __call__(self, retry_state: RetryCallState) -> bool:
        return retry_state.idle_for + (retry_state.upcoming_sleep or 0.0) > self._max


def call_with_retries(
    call: Callable[[], _T],
    policy: RetryPolicy,
    *,
    retry: retry_base,
    asked_wait: AskedWait,
    gave_up: GaveUp,
    sleep: Sleep,
    before_sleep: Callable[[RetryCallState], None],
) -> _T:
    """``call``'s result, tried again under ``policy`` while ``retry`` lets its failure pass; a failure it does
    not let pass is raised at once, and ``gave_up(attempts, last failure)`` is raised, from the last failure, when
    the policy runs out, or once the caller's session lease is lost. ``before_sleep`` sees each retry before its
    wait (for the log)."""
    attempts = Retrying(
        retry=retry,
        wait=_RetryAfterOrBackoff(policy, asked_wait),
        stop=stop_after_attempt(policy.attempts) | _TotalWaitExceeded(policy.max_total_wait) | _LeaseLost(),
        sleep=sleep,
        before_sleep=before_sleep,
    )
    try:
        return attempts(call)
    except RetryError as ran_out:
        last = ran_out.last_attempt
        error = last.exception()
        raise gave_up(last.attempt_number, error) from error
