"""Request budgets in Redis: a hash per tenant, decided by a Lua script (``_TAKE``, the rule of ``rule.decide``),
which Redis runs atomically, on its own clock (``TIME``), so processes on several machines agree. A tenant's key
expires once its state decides nothing any more."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.commands.core import Script
from redis.retry import Retry

from adapters.budget.rule import MICROS, NEVER, STALE_AHEAD, Decision, Deferred, Granted, Pace, Priority
from adapters.budget.store import BudgetStore, BudgetUnavailable, unheard

_TAKE = """
local gap, window, interactive = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1'
local never, stale_ahead = tonumber(ARGV[4]), tonumber(ARGV[5])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local kept = redis.call('HMGET', KEYS[1], 'last', 'until')
local last, held = tonumber(kept[1]) or never, tonumber(kept[2]) or never
if math.max(last, held) - now > stale_ahead then
  last, held = never, never
end
local slot = math.max(now, last + gap)
if interactive then
  held = math.max(held, slot + window)
else
  slot = math.max(slot, held)
  if slot - now > gap then
    return {0, now, slot - gap}
  end
end
redis.call('HSET', KEYS[1], 'last', string.format('%d', slot), 'until', string.format('%d', held))
redis.call('PEXPIREAT', KEYS[1], math.floor(math.max(slot + gap, held) / 1000) + 1000)
return {1, now, slot}
"""
"""The tenant's key holds ``last`` and ``until`` (``BudgetState``), in microseconds. Lua's numbers are doubles,
exact for whole microseconds of the epoch (under 2^53)."""

_SENT_LATE = """
local slot, late, gap, never = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local kept = redis.call('HMGET', KEYS[1], 'last', 'until')
local last, held = tonumber(kept[1]) or never, tonumber(kept[2]) or never
last = math.max(last, slot) + late
redis.call('HSET', KEYS[1], 'last', string.format('%d', last), 'until', string.format('%d', held))
redis.call('PEXPIREAT', KEYS[1], math.floor(math.max(last + gap, held) / 1000) + 1000)
"""
"""``rule.sent_late``; ``gap`` only keeps the key as long as ``_TAKE`` would: any pace's is at most ``_LONGEST_GAP``."""

_LONGEST_GAP = 2 * MICROS
"""A pace's gap is at most its window, which is under two seconds (``Pace.of``)."""


class RedisBudgetStore(BudgetStore):
    """A ``BudgetStore`` in the Redis ``client`` talks to, each tenant under the key ``prefix + tenant``."""

    def __init__(self, client: redis.Redis, *, prefix: str = "wlc:budget:") -> None:
        self._client = client
        self._prefix = prefix
        self._take: Script = client.register_script(_TAKE)
        self._sent_late: Script = client.register_script(_SENT_LATE)

    @classmethod
    def from_url(cls, url: str, *, prefix: str = "wlc:budget:") -> RedisBudgetStore:
        """The store at a ``redis://``, ``rediss://`` or ``unix://`` URL. Connects on first use. A failed call is
        tried once more at once (a connection Redis dropped while idle), then fails: the Workday request waiting
        for its slot is retried with its own backoff."""
        client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5, retry=Retry(NoBackoff(), 1))
        return cls(client, prefix=prefix)

    def take(self, tenant: str, pace: Pace, priority: Priority, *, asking: Callable[[], None] = unheard) -> Decision:
        arguments = [pace.gap, pace.window, int(priority is Priority.INTERACTIVE), NEVER, STALE_AHEAD]
        asking()
        try:
            granted, now, at = self._call(tenant, arguments)
        except redis.RedisError as error:
            raise BudgetUnavailable(f"the request budgets in Redis failed: {type(error).__name__}: {error}") from error
        return Granted(now, at) if granted else Deferred(now, at)

    def sent_late(self, tenant: str, slot: int, late: int) -> None:
        try:
            self._sent_late(keys=[self._prefix + tenant], args=[slot, late, _LONGEST_GAP, NEVER])
        except redis.RedisError as error:
            raise BudgetUnavailable(f"the request budgets in Redis failed: {type(error).__name__}: {error}") from error

    def _call(self, tenant: str, arguments: list[Any]) -> tuple[int, int, int]:
        granted, now, at = self._take(keys=[self._prefix + tenant], args=arguments)
        return int(granted), int(now), int(at)

    def forget(self, tenant: str) -> None:
        """Drops the tenant's state (tests)."""
        self._client.delete(self._prefix + tenant)
