"""Verified API keys, remembered for a short while: a busy API checks a key it has just seen in memory instead
of reading the key store on every request. A key that expires is refused at once (its expiry is checked on
every use); a key revoked (``wlc keys revoke``, usually from another process) is refused by every serving
process within ``ttl``. Keys that fail verification are never remembered, so a wrong key always costs a read."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.concurrency import run_in_threadpool

from adapters.storage.api_keys import ApiKey, SqlApiKeyStore

TTL = timedelta(seconds=10)


@dataclass(frozen=True, slots=True)
class _Seen:
    key: ApiKey
    at: datetime


class VerifiedKeys:
    def __init__(self, store: SqlApiKeyStore, ttl: timedelta = TTL, max_size: int = 10_000) -> None:
        self._store = store
        self._ttl = ttl
        self._max_size = max_size
        self._seen: dict[bytes, _Seen] = {}
        self._lock = threading.Lock()

    async def verify(self, raw_key: str, now: datetime) -> ApiKey | None:
        """``SqlApiKeyStore.verify``, answered from memory when the key was verified within ``ttl``."""
        # Indexed by the key's digest, never the key itself; a lookup reveals nothing a timing could exploit.
        digest = hashlib.sha256(raw_key.encode("utf-8")).digest()
        with self._lock:
            seen = self._seen.get(digest)
        if seen is not None and now - seen.at < self._ttl and seen.key.usable_at(now):
            return seen.key
        key = await run_in_threadpool(self._store.verify, raw_key, now)
        with self._lock:
            if key is None:
                self._seen.pop(digest, None)
            else:
                if len(self._seen) >= self._max_size:
                    self._seen.clear()
                self._seen[digest] = _Seen(key, now)
        return key
