"""Verified keys remembered for a short while: expiry is immediate, revocation within the TTL, and a wrong key
is never remembered."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from adapters.storage import create_engine_for
from adapters.storage.api_keys import ApiKey, SqlApiKeyStore
from app.http.key_cache import VerifiedKeys

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TTL = timedelta(seconds=10)


class CountingStore(SqlApiKeyStore):
    reads = 0

    def verify(self, raw_key: str, now: datetime) -> ApiKey | None:
        self.reads += 1
        return super().verify(raw_key, now)


def store(tmp_path: Path) -> CountingStore:
    return CountingStore(create_engine_for(f"sqlite:///{tmp_path / 'keys.sqlite3'}"))


def test_a_key_seen_within_the_ttl_is_not_read_again(tmp_path: Path) -> None:
    keys = store(tmp_path)
    record, raw = keys.create(["acme"], NOW)
    verified = VerifiedKeys(keys, TTL)

    first = asyncio.run(verified.verify(raw, NOW))
    again = asyncio.run(verified.verify(raw, NOW + TTL - timedelta(milliseconds=1)))
    later = asyncio.run(verified.verify(raw, NOW + TTL))

    assert first == again == later
    assert first is not None
    assert first.id == record.id
    assert keys.reads == 2


def test_a_revoked_key_is_refused_once_the_ttl_has_passed(tmp_path: Path) -> None:
    keys = store(tmp_path)
    record, raw = keys.create(["acme"], NOW)
    verified = VerifiedKeys(keys, TTL)
    assert asyncio.run(verified.verify(raw, NOW)) is not None

    keys.revoke(record.id, NOW)

    assert asyncio.run(verified.verify(raw, NOW + TTL)) is None


def test_an_expired_key_is_refused_at_once_even_when_remembered(tmp_path: Path) -> None:
    keys = store(tmp_path)
    _, raw = keys.create(["acme"], NOW, expires_at=NOW + timedelta(seconds=1))
    verified = VerifiedKeys(keys, TTL)
    assert asyncio.run(verified.verify(raw, NOW)) is not None

    assert asyncio.run(verified.verify(raw, NOW + timedelta(seconds=1))) is None


def test_a_wrong_key_is_read_every_time(tmp_path: Path) -> None:
    keys = store(tmp_path)
    keys.create(["acme"], NOW)
    verified = VerifiedKeys(keys, TTL)

    answers = [asyncio.run(verified.verify("wlc_000000000000_not-the-secret", NOW)) for _ in range(3)]

    assert answers == [None, None, None]
    assert keys.reads == 3


def test_requests_presenting_a_key_while_it_is_read_share_that_one_read(tmp_path: Path) -> None:
    keys = store(tmp_path)
    record, raw = keys.create(["acme"], NOW)
    verified = VerifiedKeys(keys, TTL)

    async def twenty_at_once() -> list[ApiKey | None]:
        return await asyncio.gather(*(verified.verify(raw, NOW) for _ in range(20)))

    answers = asyncio.run(twenty_at_once())

    assert [answer.id if answer else None for answer in answers] == [record.id] * 20
    assert keys.reads == 1


class FailingOnceStore(CountingStore):
    def verify(self, raw_key: str, now: datetime) -> ApiKey | None:
        if self.reads == 0:
            self.reads += 1
            raise RuntimeError("the ledger is unavailable")
        return super().verify(raw_key, now)


def test_when_the_shared_read_fails_every_request_waiting_on_it_fails_with_it(tmp_path: Path) -> None:
    keys = FailingOnceStore(create_engine_for(f"sqlite:///{tmp_path / 'keys.sqlite3'}"))
    record, raw = keys.create(["acme"], NOW)
    verified = VerifiedKeys(keys, TTL)

    async def five_at_once() -> list[ApiKey | BaseException | None]:
        return await asyncio.gather(*(verified.verify(raw, NOW) for _ in range(5)), return_exceptions=True)

    answers = asyncio.run(five_at_once())

    assert [str(answer) for answer in answers] == ["the ledger is unavailable"] * 5
    assert keys.reads == 1
    later = asyncio.run(verified.verify(raw, NOW))  # nothing failed was remembered
    assert later is not None
    assert later.id == record.id


class GatedStore(CountingStore):
    """Reads only once ``release`` is set."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.release = threading.Event()

    def verify(self, raw_key: str, now: datetime) -> ApiKey | None:
        self.release.wait()
        return super().verify(raw_key, now)


def test_a_waiting_request_that_is_cancelled_leaves_the_shared_read_and_the_others_alone(tmp_path: Path) -> None:
    keys = GatedStore(create_engine_for(f"sqlite:///{tmp_path / 'keys.sqlite3'}"))
    record, raw = keys.create(["acme"], NOW)
    verified = VerifiedKeys(keys, TTL)

    async def one_leaves() -> list[ApiKey | BaseException | None]:
        tasks = [asyncio.create_task(verified.verify(raw, NOW)) for _ in range(4)]
        await asyncio.sleep(0)  # each task runs to its first wait: one reads, three wait on it
        tasks[2].cancel()  # a waiter's client goes away
        await asyncio.sleep(0)
        keys.release.set()
        return await asyncio.gather(*tasks, return_exceptions=True)

    first, second, cancelled, fourth = asyncio.run(one_leaves())

    assert isinstance(cancelled, asyncio.CancelledError)
    assert [answer.id if isinstance(answer, ApiKey) else answer for answer in (first, second, fourth)] == [
        record.id
    ] * 3
    assert keys.reads == 1
