"""The LumiQ completion feed: the ``CompletionSource`` port over ``GET /v1/completions`` (docs/lumiq-api.md)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
from pydantic import SecretStr, ValidationError

from adapters.lumiq.connection import LumiqConnection
from adapters.lumiq.errors import LumiqFeedUnavailable, LumiqGaveUp
from adapters.lumiq.wire import WireCompletionPage, completion_from_wire
from adapters.retries import RetryPolicy, Sleep
from domain.deliveries import CompletionPage
from domain.ports.completion_source import CompletionSource

_COMPLETIONS = "/v1/completions"
_MAX_PAGE_SIZE = 1000


class LumiqCompletionSource(CompletionSource):
    """One organisation's LumiQ completions, as a feed of changes. ``client`` carries the organisation's base
    URL and its timeouts; ``api_key`` is sent as a bearer token and appears in no repr, log or message;
    ``sleep`` is what waits between retries (tests pass a recorder).

    A page is yielded only when every completion on it could be read. A completion that breaks a domain rule
    raises ``LumiqInvalidCompletion`` naming its id and field, and the page holding it is not yielded: the
    caller stops without saving a cursor past it, so the completion is read again on the next run instead of
    being skipped for good."""

    def __init__(
        self,
        client: httpx.Client,
        api_key: SecretStr,
        page_size: int = 500,
        retry: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        if not 1 <= page_size <= _MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be 1 to {_MAX_PAGE_SIZE}, not {page_size}")
        self._lumiq = LumiqConnection(client, api_key, retry, sleep)
        self._page_size = page_size

    def __repr__(self) -> str:
        return f"LumiqCompletionSource(base_url={self._lumiq.base_url!r}, page_size={self._page_size})"

    def pages(self, after: str | None) -> Iterator[CompletionPage]:
        """Raises ``LumiqFeedUnavailable`` (a ``SourceUnavailable``) when a page cannot be read, and its
        subclass ``LumiqInvalidCompletion`` when a completion on it is invalid."""
        cursor = after
        while True:
            page = self._page(cursor)
            completions = tuple(completion_from_wire(raw) for raw in page.data)
            yield CompletionPage(completions, page.cursor, page.has_more)
            if not page.has_more:
                return
            if page.cursor == cursor:
                raise LumiqFeedUnavailable(
                    f"LumiQ returned cursor {cursor!r} again with more to come; the feed would never end"
                )
            cursor = page.cursor

    def _page(self, after: str | None) -> WireCompletionPage:
        params: dict[str, str | int] = {"limit": self._page_size}
        if after is not None:
            params["after"] = after
        try:
            response = self._lumiq.send("GET", _COMPLETIONS, params=params)
        except LumiqGaveUp as gave_up:
            raise LumiqFeedUnavailable(
                f"the LumiQ completion feed could not be read: {self._lumiq.scrub(str(gave_up))}"
            ) from gave_up
        if response.status_code != httpx.codes.OK:
            raise LumiqFeedUnavailable(f"the LumiQ completion feed could not be read: {self._lumiq.refusal(response)}")
        try:
            return WireCompletionPage.model_validate_json(response.content)
        except ValidationError as invalid:
            problem = invalid.errors()[0]
            where = ".".join(str(part) for part in problem["loc"]) or "body"
            raise LumiqFeedUnavailable(
                f"LumiQ sent a completion page that is not the documented shape: {where}: {problem['msg']}"
            ) from None
