from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from domain.deliveries import CompletionPage


@runtime_checkable
class CompletionSource(Protocol):
    """The provider's completions, as a feed of changes ordered by when they changed.

    Contract:
    - ``pages(after)`` yields the changes after the cursor ``after`` (all of them when ``None``), page by page,
      each with the cursor that resumes after it; the last page has ``has_more`` false. A completion changed
      again (revoked, say) appears again, later in the feed.
    - Raises ``domain.errors.SourceUnavailable`` when the feed cannot be read.
    """

    @abstractmethod
    def pages(self, after: str | None) -> Iterator[CompletionPage]: ...
