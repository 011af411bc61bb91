"""Retries of one request, shared by the adapters: exponential backoff with jitter, or the server's
``Retry-After`` when it gave one, bounded by a number of attempts and by the total time slept. Each adapter
says which failures may pass (``retry``) and where a failure carries its ``Retry-After``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tenacity import RetryCallState, Retrying
from tenacity.retry import retry_base
from tenacity.stop import stop_after_attempt, stop_base
from tenacity.wait import wait_base, wait_exponential_jitter

Sleep = Callable[[float], None]
RetryAfter = Callable[[BaseException | None], float | None]
"""The seconds a failure asks to wait (its ``Retry-After``), or None for the backoff."""


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
    def __init__(self, policy: RetryPolicy, retry_after: RetryAfter) -> None:
        self._backoff = wait_exponential_jitter(multiplier=policy.backoff, max=policy.max_wait, jitter=policy.jitter)
        self._retry_after = retry_after

    def __call__(self, retry_state: RetryCallState) -> float:
        asked = self._retry_after(retry_state.outcome.exception() if retry_state.outcome else None)
        return asked if asked is not None else float(self._backoff(retry_state))


class _TotalWaitExceeded(stop_base):
    """Counts the seconds planned to sleep, not the clock, so it holds with an injected sleep."""

    def __init__(self, max_total_wait: float) -> None:
        self._max = max_total_wait

    def __call__(self, retry_state: RetryCallState) -> bool:
        return retry_state.idle_for + (retry_state.upcoming_sleep or 0.0) > self._max


def retrying(
    policy: RetryPolicy,
    *,
    retry: retry_base,
    retry_after: RetryAfter,
    sleep: Sleep,
    before_sleep: Callable[[RetryCallState], None],
) -> Retrying:
    """A tenacity ``Retrying`` under ``policy``; it raises ``RetryError`` when the policy runs out."""
    return Retrying(
        retry=retry,
        wait=_RetryAfterOrBackoff(policy, retry_after),
        stop=stop_after_attempt(policy.attempts) | _TotalWaitExceeded(policy.max_total_wait),
        sleep=sleep,
        before_sleep=before_sleep,
    )
