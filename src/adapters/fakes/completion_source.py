from __future__ import annotations

from collections.abc import Iterable, Iterator

from domain.deliveries import CompletionPage
from domain.errors import SourceUnavailable
from domain.ports.completion_source import CompletionSource
from domain.transcripts import ProviderCompletion


class InMemoryCompletionSource(CompletionSource):
    """A change feed in a list; the cursor is the position after an item. ``append`` adds a change (a new or
    a changed completion) at the end, as the provider's feed does."""

    def __init__(self, completions: Iterable[ProviderCompletion] = (), page_size: int = 50) -> None:
        self.feed: list[ProviderCompletion] = list(completions)
        self.page_size = page_size
        self.unavailable = False

    def append(self, completion: ProviderCompletion) -> None:
        self.feed.append(completion)

    def pages(self, after: str | None) -> Iterator[CompletionPage]:
        if self.unavailable:
            raise SourceUnavailable("the completion feed is unavailable")
        position = int(after) if after else 0
        while True:
            chunk = tuple(self.feed[position : position + self.page_size])
            position += len(chunk)
            has_more = position < len(self.feed)
            yield CompletionPage(chunk, str(position), has_more)
            if not has_more:
                return
