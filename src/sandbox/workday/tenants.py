"""What the sandbox holds per tenant: one store per tenant name, made on first use."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

_T = TypeVar("_T")


class PerTenant(Generic[_T]):
    """One ``_T`` per tenant, made by ``make(tenant)`` the first time the tenant is asked for; thread-safe."""

    def __init__(self, make: Callable[[str], _T]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._stores: dict[str, _T] = {}

    def tenant(self, name: str) -> _T:
        with self._lock:
            store = self._stores.get(name)
            if store is None:
                store = self._stores[name] = self._make(name)
            return store
