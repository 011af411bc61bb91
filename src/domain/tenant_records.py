"""A tenant as the ledger keeps it: its name, its settings as plain JSON (every value but its secrets), its
secrets sealed (opaque text the application encrypted; never a secret in the clear), where it came from, and a
version that grows with every change.

The settings' meaning is the application's (``app.settings.TenantSettings``); the domain holds them as data, so
the store of tenants can live below the application layer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from domain.errors import InvalidValue

TENANT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
"""A tenant's name: the ``x-account-id`` callers send, the ``[tenants.NAME]`` of wlc.toml, a part of run and
schedule ids (``{tenant}:{kind}``), so no spaces, colons or slashes."""


def check_tenant_name(name: str) -> str:
    """``name`` when it is a valid tenant name; raises ``InvalidValue`` naming ``name`` otherwise."""
    if not TENANT_NAME.fullmatch(name):
        raise InvalidValue(
            "name",
            f"{name!r} is not a tenant name: 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit",
        )
    return name


class TenantOrigin(StrEnum):
    """Where a tenant's current settings came from."""

    FILE = "file"
    """Imported from the configuration file (``wlc.toml`` and its ``WLC_TENANTS__...`` variables)."""
    ADMIN = "admin"
    """Added or changed by an operator: ``wlc tenants``, ``wlc schedules`` or the admin API."""


@dataclass(frozen=True, slots=True)
class TenantStamp:
    """What identifies one version of a tenant: a tenant removed and added again starts a new life
    (``created_at``), so a cache keyed by the stamp never mistakes the new tenant for the old."""

    version: int
    created_at: datetime

    def __post_init__(self) -> None:
        if self.version < 1:
            raise InvalidValue("version", f"must be 1 or more, not {self.version}")
        if self.created_at.utcoffset() is None:
            raise InvalidValue("created_at", "carries no time zone")


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def thawed(value: Any) -> Any:
    """A frozen settings value (``TenantRecord.settings``) as plain, mutable JSON: dicts and lists."""
    if isinstance(value, Mapping):
        return {k: thawed(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thawed(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class TenantRecord:
    """One tenant in the store. ``settings`` is nested JSON without any secret; ``secrets`` maps each secret's
    dotted path (``oauth.client_secret``) to its sealed text. ``source_digest`` is the digest of the
    configuration file's copy when it was last imported (None for a tenant the file never held)."""

    name: str
    settings: Mapping[str, Any]
    secrets: Mapping[str, str]
    origin: TenantOrigin
    version: int
    created_at: datetime
    updated_at: datetime
    source_digest: str | None = None
    stamp: TenantStamp = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        check_tenant_name(self.name)
        overlap = sorted(path for path in self.secrets if _lookup(self.settings, path) is not None)
        if overlap:
            raise InvalidValue("settings", f"holds {', '.join(overlap)}, which belong sealed in secrets")
        object.__setattr__(self, "settings", _frozen(self.settings))
        object.__setattr__(self, "secrets", MappingProxyType(dict(self.secrets)))
        object.__setattr__(self, "stamp", TenantStamp(self.version, self.created_at))


def _lookup(settings: Mapping[str, Any], path: str) -> Any:
    current: Any = settings
    for part in path.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return None
        current = current[part]
    return current


@dataclass(frozen=True, slots=True)
class TenantChange:
    """What an add or a replacement writes: the settings, their sealed secrets, where they came from."""

    settings: Mapping[str, Any]
    secrets: Mapping[str, str]
    origin: TenantOrigin
    source_digest: str | None = None


class TenantConflictReason(StrEnum):
    EXISTS = "exists"
    """An add named a tenant the store already holds."""
    MISSING = "missing"
    """A replacement named a tenant the store does not hold (never added, or removed meanwhile)."""
    MOVED = "moved"
    """A replacement expected a version another writer has since replaced."""


@dataclass(frozen=True, slots=True)
class TenantConflict:
    """Why a write to the store did not happen; ``current`` is the tenant as it now stands, if it exists."""

    name: str
    reason: TenantConflictReason
    current: TenantRecord | None = None

    @property
    def message(self) -> str:
        if self.reason is TenantConflictReason.EXISTS:
            return f"tenant {self.name!r} already exists"
        if self.reason is TenantConflictReason.MISSING:
            return f"there is no tenant {self.name!r}"
        version = self.current.version if self.current is not None else "?"
        return f"tenant {self.name!r} was changed meanwhile (now version {version}): read it again and retry"
