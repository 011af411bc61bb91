"""One organisation's authenticated connection to LumiQ: the bearer key, the retries, and LumiQ's refusals
turned into messages that never hold the key. Shared by the member registry and the completion source."""

from __future__ import annotations

import time
from collections.abc import Mapping

import httpx
from pydantic import SecretStr

from adapters.lumiq.retrying import LUMIQ_RETRY, send_with_retries
from adapters.lumiq.wire import error_from_wire
from adapters.retries import RetryPolicy, Sleep


class LumiqConnection:
    """``client`` carries the organisation's base URL and timeouts; ``api_key`` is sent as a bearer token;
    ``sleep`` is what waits between retries (tests pass a recorder)."""

    def __init__(
        self, client: httpx.Client, api_key: SecretStr, retry: RetryPolicy | None = None, sleep: Sleep = time.sleep
    ) -> None:
        self._client = client
        self._api_key = api_key
        self._retry = retry or LUMIQ_RETRY
        self._sleep = sleep

    @property
    def base_url(self) -> str:
        return str(self._client.base_url)

    def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Mapping[str, object] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """The first answer not worth retrying; raises ``LumiqGaveUp`` when the retry policy runs out."""
        all_headers = {
            "Authorization": f"Bearer {self._api_key.get_secret_value()}",
            "Accept": "application/json",
            **(headers or {}),
        }
        return send_with_retries(
            f"{method} {path}",
            lambda: self._client.request(method, path, params=params, json=body, headers=all_headers),
            self._retry,
            self._sleep,
        )

    def refusal(self, response: httpx.Response) -> str:
        """LumiQ's reason for refusing, naming the field when LumiQ names one."""
        detail = error_from_wire(response.content)
        if detail is None:
            return f"LumiQ refused with {response.status_code} {response.reason_phrase}"
        message = detail.message
        if detail.field and not message.startswith(f"{detail.field}:"):
            message = f"{detail.field}: {message}"
        return self.scrub(f"{message} ({response.status_code} {detail.code})")

    def scrub(self, text: str) -> str:
        """LumiQ's own words could echo the key back; they never reach a message with it."""
        secret = self._api_key.get_secret_value()
        return text.replace(secret, "**********") if secret else text
