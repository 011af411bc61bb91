"""The provider's completions feed, in memory and thread-safe: entries are only ever appended, so a cursor (a
position in the feed) never skips or repeats an entry; a change to a completion is a new entry at the end."""

from __future__ import annotations

import base64
import binascii
import threading
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sandbox.clock import SandboxClock
from sandbox.lumiq.completions import Completion, CompletionMember, CompletionStatus
from sandbox.lumiq.episodes import Episode
from sandbox.lumiq.errors import LumiqApiError
from sandbox.lumiq.member import LumiqMember


class CompletionStore:
    def __init__(self, entries: Iterable[Completion], clock: SandboxClock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._feed: list[Completion] = list(entries)
        self._latest: dict[str, Completion] = {entry.id: entry for entry in self._feed}
        self._added = 0

    def feed(self) -> list[Completion]:
        """Every entry, in feed order."""
        with self._lock:
            return list(self._feed)

    def latest(self) -> dict[str, Completion]:
        """Every completion in its latest state, by id."""
        with self._lock:
            return dict(self._latest)

    def get(self, completion_id: str) -> Completion:
        with self._lock:
            return self._latest[completion_id]

    def page(self, after: str | None, limit: int) -> tuple[list[Completion], str, bool]:
        """The entries after cursor ``after`` (from the start when None), the cursor after the last of them
        (returned even on the last page) and whether more follow."""
        with self._lock:
            start = 0 if after is None else self._position(after)
            entries = self._feed[start : start + limit]
            end = start + len(entries)
            return entries, _cursor(end), end < len(self._feed)

    def revoke(self, completion_id: str) -> Completion:
        """Appends the completion again, revoked; raises ``KeyError`` for an unknown id."""
        with self._lock:
            revoked = replace(self._latest[completion_id], revoked=True, updated_at=self._next_update())
            self._append(revoked)
            return revoked

    def add(
        self,
        member: CompletionMember | LumiqMember,
        episode: Episode,
        *,
        status: CompletionStatus = "passed",
        completed_at: datetime | None = None,
        completion_id: str | None = None,
    ) -> Completion:
        """Appends a new completion (or a new state of ``completion_id``), completed now unless told otherwise."""
        with self._lock:
            updated_at = self._next_update()
            if completion_id is None:
                self._added += 1
                completion_id = f"cmp_added{self._added:06d}"
            if completed_at is not None and completed_at.utcoffset() is None:
                raise ValueError("completed_at must carry a time zone")
            completion = Completion(
                id=completion_id,
                member=member if isinstance(member, CompletionMember) else CompletionMember.of(member),
                episode=episode,
                status=status,
                completed_at=completed_at or updated_at,
                updated_at=updated_at,
            )
            self._append(completion)
            return completion

    def _append(self, completion: Completion) -> None:
        self._feed.append(completion)
        self._latest[completion.id] = completion

    def _next_update(self) -> datetime:
        """Now, but never before the last entry: the feed stays ordered by ``updated_at``."""
        now = self._clock.now_datetime()
        return max(now, self._feed[-1].updated_at) if self._feed else now

    def _position(self, cursor: str) -> int:
        try:
            kind, _, position = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
            start = int(position)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise LumiqApiError(422, "not a cursor this API returned", "after") from None
        if kind != "feed" or not 0 <= start <= len(self._feed):
            raise LumiqApiError(422, "not a cursor this API returned", "after")
        return start


def _cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"feed:{position}".encode()).decode()
