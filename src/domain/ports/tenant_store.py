from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol, runtime_checkable

from returns.result import Result

from domain.tenant_records import TenantChange, TenantConflict, TenantRecord, TenantStamp


@runtime_checkable
class TenantStore(Protocol):
    """The tenants the connector serves, kept as data.

    Contract:
    - ``stamps()`` is every tenant's name and stamp, without its settings: cheap enough to ask every few
      seconds, whatever the number of tenants, to see what changed.
    - ``get(name)`` is the tenant as it now stands, or None; ``records(names)`` the named ones that exist (every
      one when ``names`` is None), in name order.
    - ``add(name, change, now)`` adds a tenant at version 1, created and updated ``now``; a conflict (``EXISTS``)
      when the name is taken.
    - ``replace(name, expected_version, change, now)`` writes the tenant's whole settings and secrets, its
      version one more than ``expected_version``, updated ``now``, its creation kept; a conflict when the
      tenant is gone (``MISSING``) or another writer replaced that version first (``MOVED``): nothing is
      written then.
    - ``remove(name)`` forgets the tenant; False when there was none. A later ``add`` of the name starts anew
      (a new ``created_at``, so a new stamp).
    - ``reseal(transform)`` rewrites every sealed secret of every tenant as ``transform(name, path, sealed)``
      makes it (key rotation), in one transaction, leaving versions as they are; returns how many secrets it rewrote. If
      ``transform`` raises, nothing is rewritten.
    - A store that cannot be read or written raises ``domain.errors.LedgerUnavailable`` (a subclass).
    """

    @abstractmethod
    def stamps(self) -> dict[str, TenantStamp]: ...

    @abstractmethod
    def get(self, name: str) -> TenantRecord | None: ...

    @abstractmethod
    def records(self, names: Iterable[str] | None = None) -> list[TenantRecord]: ...

    @abstractmethod
    def add(self, name: str, change: TenantChange, now: datetime) -> Result[TenantRecord, TenantConflict]: ...

    @abstractmethod
    def replace(
        self, name: str, expected_version: int, change: TenantChange, now: datetime
    ) -> Result[TenantRecord, TenantConflict]: ...

    @abstractmethod
    def remove(self, name: str) -> bool: ...

    @abstractmethod
    def reseal(self, transform: Callable[[str, str, str], str]) -> int: ...
