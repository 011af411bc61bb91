"""The tenants directory: ``TenantSettings`` in and out of the ``TenantStore``, their secrets sealed on the
way in and opened on the way out, every change a new version, and the configuration file's tenants imported.

Importing the file's tenants (at every start, ``import_file``):
- a tenant the store lacks is added (origin ``file``);
- a tenant whose file copy changed since it was last imported (its digest differs from the one kept) is
  replaced by the file's copy: the file is where the operator last spoke;
- a tenant whose file copy did not change is left as it is, so a change made since with ``wlc tenants`` or the
  admin API stands;
- a tenant the store got from the file that the file no longer has stays, with a warning, until ``wlc
  tenants remove``: a file edited by mistake never removes a customer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from returns.result import Failure, Result, Success

from app.errors import ConfigurationError
from app.settings import TenantSettings
from app.tenants.secrets import SecretBox
from app.tenants.settings_data import SettingsRefused, digest, joined, merged, split, validated
from domain.ports.clock import Clock
from domain.ports.tenant_store import TenantStore
from domain.tenant_records import (
    TenantChange,
    TenantConflict,
    TenantConflictReason,
    TenantOrigin,
    TenantRecord,
    TenantStamp,
    thawed,
)

log = logging.getLogger(__name__)

_RETRIES = 5
"""How often a change is applied again to a tenant another writer changed meanwhile."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    orphaned: tuple[str, ...] = ()
    """Tenants the store got from the file that the file no longer has: kept."""


@dataclass(frozen=True, slots=True)
class Loaded:
    """A tenant's settings at one version, or why they could not be read (a key that does not open its secrets,
    settings this version refuses): one tenant's problem never hides the others."""

    stamp: TenantStamp
    settings: TenantSettings | None
    problem: str | None = None


ChangeRefused = TenantConflict | SettingsRefused


@dataclass(frozen=True, slots=True)
class Tenant:
    """A tenant as shown to operators: its settings without secrets, which secrets are set, and its record."""

    record: TenantRecord
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def secrets_set(self) -> tuple[str, ...]:
        return tuple(sorted(self.record.secrets))


class TenantDirectory:
    def __init__(self, store: TenantStore, box: SecretBox, clock: Clock) -> None:
        self._store = store
        self._box = box
        self._clock = clock

    @property
    def store(self) -> TenantStore:
        return self._store

    def stamps(self) -> dict[str, TenantStamp]:
        return self._store.stamps()

    def shown(self, names: Iterable[str] | None = None) -> list[Tenant]:
        """The tenants (all, or those named), without opening a secret: no key is needed to look."""
        return [Tenant(record, thawed(record.settings)) for record in self._store.records(names)]

    def load(self, names: Iterable[str]) -> dict[str, Loaded]:
        """The named tenants' settings, secrets opened; a tenant that is gone is left out."""
        return {record.name: self._loaded(record) for record in self._store.records(names)}

    def settings_of(self, name: str) -> TenantSettings:
        """The tenant's settings; raises ``ConfigurationError`` when there is no such tenant or it cannot be read."""
        record = self._store.get(name)
        if record is None:
            raise ConfigurationError(f"there is no tenant {name!r}")
        loaded = self._loaded(record)
        if loaded.settings is None:
            raise ConfigurationError(loaded.problem or f"tenant {name!r} cannot be read")
        return loaded.settings

    def add(
        self, name: str, settings: TenantSettings, origin: TenantOrigin = TenantOrigin.ADMIN
    ) -> Result[TenantRecord, TenantConflict]:
        source = digest(settings) if origin is TenantOrigin.FILE else None
        return self._store.add(name, self._change(settings, origin, source), self._clock.now())

    def add_data(self, name: str, data: Mapping[str, Any]) -> Result[TenantRecord, ChangeRefused]:
        """Adds a tenant from settings data (a ``[tenants.NAME]`` table's shape), validated first."""
        match validated(data):
            case Success(settings):
                added: Result[TenantRecord, ChangeRefused] = self.add(name, settings)
                return added
            case Failure(refused):
                return Failure(refused)
        raise AssertionError("unreachable")

    def change(self, name: str, patch: Mapping[str, Any]) -> Result[TenantRecord, ChangeRefused]:
        """Applies ``patch`` (a JSON merge patch of the settings, secrets included) to the tenant as it stands,
        validated; applied again on the tenant's new version when another writer changed it meanwhile."""
        for _ in range(_RETRIES):
            record = self._store.get(name)
            if record is None:
                return Failure(TenantConflict(name, TenantConflictReason.MISSING))
            current = joined(thawed(record.settings), self._opened(record))
            match validated(merged(current, patch)):
                case Failure(refused):
                    return Failure(refused)
                case Success(settings):
                    written = self._store.replace(
                        name,
                        record.version,
                        self._change(settings, TenantOrigin.ADMIN, record.source_digest),
                        self._clock.now(),
                    )
                    match written:
                        case Failure(TenantConflict(reason=TenantConflictReason.MOVED)):
                            continue
                        case _:
                            changed: Result[TenantRecord, ChangeRefused] = written
                            return changed
        current_record = self._store.get(name)
        return Failure(TenantConflict(name, TenantConflictReason.MOVED, current_record))

    def remove(self, name: str) -> bool:
        return self._store.remove(name)

    def import_file(self, tenants: Mapping[str, TenantSettings]) -> ImportReport:
        """Imports the configuration file's tenants (the module's docstring says how)."""
        held = {record.name: record for record in self._store.records()}
        added: list[str] = []
        updated: list[str] = []
        for name, settings in tenants.items():
            source = digest(settings)
            record = held.get(name)
            if record is not None and record.source_digest == source:
                continue
            change = self._change(settings, TenantOrigin.FILE, source)
            now = self._clock.now()
            if record is None:
                match self._store.add(name, change, now):
                    case Success(_):
                        added.append(name)
                continue  # a process starting beside this one added it first, from the same file
            if self._store.replace(name, record.version, change, now).value_or(None) is not None:
                if record.origin is TenantOrigin.ADMIN:
                    log.warning(
                        "tenant %s: the configuration file's copy changed and replaces the one edited since", name
                    )
                updated.append(name)
        orphaned = tuple(
            sorted(
                name
                for name, record in held.items()
                if name not in tenants and record.source_digest is not None and record.origin is TenantOrigin.FILE
            )
        )
        for name in orphaned:
            log.warning(
                "tenant %s was imported from the configuration file, which no longer has it: it is still served "
                "until 'wlc tenants remove %s'",
                name,
                name,
            )
        return ImportReport(tuple(added), tuple(updated), orphaned)

    def reseal(self) -> int:
        """Every tenant's secrets sealed again with the first key; returns how many."""
        return self._store.reseal(lambda name, path, sealed: self._box.reseal(sealed, f"tenant {name}'s {path}"))

    def _change(self, settings: TenantSettings, origin: TenantOrigin, source: str | None) -> TenantChange:
        data, secrets = split(settings)
        return TenantChange(data, {path: self._box.seal(value) for path, value in secrets.items()}, origin, source)

    def _opened(self, record: TenantRecord) -> dict[str, str]:
        return {
            path: self._box.open(sealed, f"tenant {record.name}'s {path}") for path, sealed in record.secrets.items()
        }

    def _loaded(self, record: TenantRecord) -> Loaded:
        try:
            secrets = self._opened(record)
        except ConfigurationError as unopened:
            return Loaded(record.stamp, None, str(unopened))
        match validated(joined(thawed(record.settings), secrets)):
            case Success(settings):
                return Loaded(record.stamp, settings)
            case Failure(refused):
                return Loaded(record.stamp, None, f"tenant {record.name}'s settings are refused: {refused.message}")
        raise AssertionError("unreachable")
