"""The tenants a process serves, read from the tenants table and followed as it changes, with no restart.

Every ``recheck`` seconds (at the first use after that) the registry asks the store for every tenant's stamp,
one small query whatever their number, and reads again only the tenants whose stamp moved. ``get(name)`` then
answers the container of the tenant's current version, built on first use: a tenant added by another process
(``wlc tenants add`` beside ``wlc serve``) is served within ``recheck`` seconds, a removed one is refused, a
changed one gets a new container with its new settings.

The container a change replaced is retired, not closed at once: a request or a run may still be using it.
It is closed (its HTTP and SOAP clients) once ``grace`` seconds have passed since its retirement and no
``using`` block holds it. Short users (a request, a delivery) call ``get``: the grace covers them. Long ones (a
sync, a session) hold the container with ``using``, which keeps it open until they finish. A rebuild is cheap
(providers are made on first use; a WSDL is parsed once per host and version, shared by every tenant), so
following the table costs nothing but the stamps query."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.errors import ConfigurationError
from app.settings import TenantSettings, pick_tenant
from domain.tenant_records import TenantStamp

if TYPE_CHECKING:
    from app.container import TenantContainer
    from app.tenants.directory import Loaded, TenantDirectory

RECHECK_SECONDS = 2.0
GRACE_SECONDS = 120.0


@dataclass(slots=True)
class _Built:
    stamp: TenantStamp
    container: TenantContainer
    users: int = 0
    retired_at: float | None = None


class Tenants:
    """The tenants by name, each one's container built on first use for its current version."""

    def __init__(
        self,
        directory: TenantDirectory,
        build: Callable[[str, TenantSettings], TenantContainer],
        *,
        recheck: float = RECHECK_SECONDS,
        grace: float = GRACE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._directory = directory
        self._build = build
        self._recheck = recheck
        self._grace = grace
        self._monotonic = monotonic
        self._loaded: dict[str, Loaded] = {}
        self._built: dict[str, _Built] = {}
        self._retired: list[_Built] = []
        self._checked_at: float | None = None
        self._hooks: list[Callable[[str, TenantContainer], None]] = []
        self._lock = threading.RLock()
        self._refreshing = threading.Lock()

    def when_built(self, hook: Callable[[str, TenantContainer], None]) -> None:
        """Calls ``hook(name, container)`` on every container built from now on, before anyone uses it (tests
        install their fakes so; ``wlc serve`` its processes' rate shares)."""
        self._hooks.append(hook)

    def due(self) -> bool:
        """Whether the next use reads the store's stamps again (the API does that off its event loop)."""
        return self._checked_at is None or self._monotonic() - self._checked_at >= self._recheck

    def refresh(self) -> None:
        """Reads every tenant's stamp, and the settings of those that are new or changed."""
        with self._refreshing:
            self._reread()

    def _reread(self) -> None:
        stamps = self._directory.stamps()
        with self._lock:
            moved = [name for name, stamp in stamps.items() if self._stamp_of(name) != stamp]
        fresh = self._directory.load(moved) if moved else {}
        with self._lock:
            kept = {name: self._loaded[name] for name in stamps if name in self._loaded and name not in moved}
            self._loaded = kept | fresh
            for name in [name for name in self._built if name not in self._loaded]:
                self._retire(self._built.pop(name))
            self._checked_at = self._monotonic()
            self._close_retired()

    def _stamp_of(self, name: str) -> TenantStamp | None:
        loaded = self._loaded.get(name)
        return None if loaded is None else loaded.stamp

    def _fresh(self) -> None:
        """Reads the stamps again when due. While another thread does, the others are answered from what was last
        read rather than wait on it: with a session per tenant, every session of a worker would stop there each
        time the stamps are read (and, the database busy, for as long as the reading waits for a connection)."""
        if not self.due():
            return
        if self._checked_at is None:
            self.refresh()  # nothing read yet: there is nothing else to answer from
        elif self._refreshing.acquire(blocking=False):
            try:
                self._reread()
            finally:
                self._refreshing.release()

    def __contains__(self, name: object) -> bool:
        self._fresh()
        return name in self._loaded

    @property
    def names(self) -> frozenset[str]:
        self._fresh()
        return frozenset(self._loaded)

    def problems(self) -> dict[str, str]:
        """The tenants whose settings cannot be read now, each with why (a key that does not open its
        secrets, settings this version refuses)."""
        self._fresh()
        with self._lock:
            return {name: loaded.problem or "" for name, loaded in self._loaded.items() if loaded.settings is None}

    def check_readable(self) -> None:
        """Raises ``ConfigurationError`` with the first problem when no tenant can be read (a wrong key reads
        none); one that cannot among others that can is that tenant's problem alone."""
        problems = self.problems()
        if problems and len(problems) == len(self.names):
            raise ConfigurationError(next(iter(problems.values())))

    def pick(self, name: str | None, default: str | None = None) -> str:
        """The named tenant, or the default, or the only one; raises ``ConfigurationError`` if that is
        ambiguous or names no tenant."""
        return pick_tenant(sorted(self.names), name, default)

    def settings(self, name: str) -> TenantSettings:
        """The tenant's current settings; ``KeyError`` for a tenant there is not, ``ConfigurationError`` for
        one whose settings cannot be read."""
        self._fresh()
        with self._lock:
            loaded = self._loaded[name]
        if loaded.settings is None:
            raise ConfigurationError(loaded.problem or f"tenant {name!r} cannot be read")
        return loaded.settings

    def get(self, name: str) -> TenantContainer:
        """The container of the tenant's current version; raises ``KeyError`` for a tenant there is not, and
        ``ConfigurationError`` for one whose settings cannot be read (a key that does not open its secrets)."""
        return self._current(name, hold=False).container

    @contextmanager
    def using(self, name: str) -> Iterator[TenantContainer]:
        """The container of the tenant's current version, kept open until the block ends even if the tenant
        changes meanwhile."""
        held = self._current(name, hold=True)
        try:
            yield held.container
        finally:
            with self._lock:
                held.users -= 1
                self._close_retired()

    def _current(self, name: str, *, hold: bool) -> _Built:
        settings = self.settings(name)
        with self._lock:
            stamp = self._loaded[name].stamp
            built = self._built.get(name)
            if built is None or built.stamp != stamp:
                if built is not None:
                    self._retire(built)
                container = self._build(name, settings)
                for hook in self._hooks:
                    hook(name, container)
                built = self._built[name] = _Built(stamp, container)
            if hold:
                built.users += 1
            return built

    def _retire(self, built: _Built) -> None:
        built.retired_at = self._monotonic()
        self._retired.append(built)

    def _close_retired(self) -> None:
        now = self._monotonic()
        done = [b for b in self._retired if b.users == 0 and now - (b.retired_at or now) >= self._grace]
        self._retired = [b for b in self._retired if b not in done]
        for built in done:
            built.container.shutdown_resources()

    def close(self) -> None:
        """Releases every built tenant's resources (its HTTP and SOAP clients), retired ones included."""
        with self._lock:
            every, self._built, self._retired = [*self._built.values(), *self._retired], {}, []
        for built in every:
            built.container.shutdown_resources()
