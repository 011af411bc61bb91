"""Alerts posted as JSON to a webhook (``payload.notice_json``): a Slack incoming webhook, or any receiver. A 408,
a 429, a 5xx and a connection failure are tried again with backoff (honouring ``Retry-After``); another status is
a refusal. The URL is a secret (a Slack webhook's path is its key): it is never logged nor put in a failure."""

from __future__ import annotations

import logging
import time

import httpx
from pydantic import SecretStr
from returns.result import Failure, Result, Success
from tenacity import RetryCallState, retry_if_exception

from adapters import retries
from adapters.alerts.payload import notice_json
from adapters.retries import RetryPolicy, Sleep, retry_after
from domain.alerts import Notice
from domain.ports.alert_channel import AlertChannel

_log = logging.getLogger(__name__)
WEBHOOK_RETRY = RetryPolicy(attempts=4, backoff=1.0, max_wait=10.0, jitter=0.5, max_total_wait=30.0)
_RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})


class _Transient(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.wait = wait


class _GaveUp(Exception):
    """Raised when the retries ran out; says the last failure."""


class WebhookChannel(AlertChannel):
    def __init__(
        self,
        url: SecretStr,
        client: httpx.Client,
        name: str = "webhook",
        policy: RetryPolicy = WEBHOOK_RETRY,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._url = url
        self._client = client
        self._name = name
        self._policy = policy
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"WebhookChannel(name={self._name!r})"

    @property
    def name(self) -> str:
        return self._name

    def send(self, notice: Notice) -> Result[None, str]:
        body = notice_json(notice)
        try:
            retries.call_with_retries(
                lambda: self._post(body),
                self._policy,
                retry=retry_if_exception(lambda error: isinstance(error, _Transient)),
                asked_wait=lambda error: error.wait if isinstance(error, _Transient) else None,
                gave_up=lambda attempts, error: _GaveUp(f"{error} (gave up after {attempts} attempts)"),
                sleep=self._sleep,
                before_sleep=self._log_retry,
            )
        except (_GaveUp, _Refused) as failed:
            return Failure(f"the {self._name} did not take the {notice.kind}: {failed}")
        return Success(None)

    def _post(self, body: dict[str, object]) -> None:
        try:
            response = self._client.post(self._url.get_secret_value(), json=body)
        except httpx.TransportError as error:
            raise _Transient(f"cannot reach the webhook: {type(error).__name__}") from None
        if response.status_code in _RETRYABLE:
            raise _Transient(f"HTTP {response.status_code}", retry_after(response.headers.get("Retry-After")))
        if not response.is_success:
            raise _Refused(f"HTTP {response.status_code}: {response.text[:200]}")

    def _log_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        _log.info("alert %s: attempt %d failed (%s); retrying", self._name, state.attempt_number, error)


class _Refused(Exception):
    """Raised when the webhook answered with a status that retrying will not change."""
