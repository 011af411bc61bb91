"""Verified API keys, remembered for a short while: a busy API checks a key it has just seen in memory instead
of reading the key store on every request. A key that expires is refused at once (its expiry is checked on
every use); a key revoked (``wlc keys revoke``, usually from another process) is refused by every serving
process within ``ttl``. Keys that fail verification are never remembered, so a wrong key always costs a read.
Requests that present the same key while it is being read wait for that one read rather than each making its
own: when a busy key's entry runs out, the dozens of requests in flight would otherwise each take a thread and
a connection at once."""

from __future__ import annotations

import asyncio
import hashlib
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.concurrency import run_in_threadpool

from adapters.storage.api_keys import ApiKey, SqlApiKeyStore

TTL = timedelta(seconds=10)


@dataclass(frozen=True, slots=True)
class _Seen:
    key: ApiKey
    at: datetime


class _Abandoned:
    """What waiting requests are told when the request reading the key left before it finished."""


_ABANDONED = _Abandoned()


class VerifiedKeys:
    def __init__(self, store: SqlApiKeyStore, ttl: timedelta = TTL, max_size: int = 10_000) -> None:
        self._store = store
        self._ttl = ttl
        self._max_size = max_size
        self._seen: dict[bytes, _Seen] = {}
        self._reading: dict[bytes, Future[ApiKey | _Abandoned | None]] = {}
        self._lock = threading.Lock()

    async def verify(self, raw_key: str, now: datetime) -> ApiKey | None:
        """``SqlApiKeyStore.verify``, answered from memory when the key was verified within ``ttl``."""
        # Indexed by the key's digest, never the key itself; a lookup reveals nothing a timing could exploit.
        digest = hashlib.sha256(raw_key.encode("utf-8")).digest()
        while True:
            with self._lock:
                seen = self._seen.get(digest)
                if seen is not None and now - seen.at < self._ttl and seen.key.usable_at(now):
                    return seen.key
                reading = self._reading.get(digest)
                if reading is None:
                    reading = self._reading[digest] = Future()
                    break
            # Shielded: a waiting request that is cancelled (its client gone) must not cancel the shared read.
            verified = await asyncio.shield(asyncio.wrap_future(reading))
            if not isinstance(verified, _Abandoned):
                return verified
            # The request that was reading the key was cancelled before it finished: read it anew.
        try:
            key = await run_in_threadpool(self._store.verify, raw_key, now)
        except asyncio.CancelledError:
            with self._lock:
                del self._reading[digest]
            reading.set_result(_ABANDONED)
            raise
        except BaseException as failed:  # the store failed: every request waiting on this read fails the same way
            with self._lock:
                del self._reading[digest]
            reading.set_exception(failed)
            raise
        with self._lock:
            del self._reading[digest]
            if key is None:
                self._seen.pop(digest, None)
            else:
                if len(self._seen) >= self._max_size:
                    self._seen.clear()
                self._seen[digest] = _Seen(key, now)
        reading.set_result(key)
        return key
