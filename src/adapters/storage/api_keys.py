"""API keys for the HTTP API, kept hashed in the ledger's database.

A key reads ``wlc_<id>_<secret>``: the id finds the row, then the SHA-256 of the whole key is compared with
the stored one in constant time. Only the hash is stored, so a copy of the table lets no one call the API.
SHA-256 rather than a slow password hash (bcrypt, argon2) because the secret is 256 random bits from
``secrets``: there is no dictionary to guess from, so slowing each guess buys nothing, while a slow hash
would cost every request tens of milliseconds."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, Row, insert, select, update

from adapters.storage.engine import writing
from adapters.storage.errors import storage_errors
from adapters.storage.schema import api_keys, ensure_schema

_STORE = "API key store"
_KEY = re.compile(r"wlc_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")
_KEY_ID = re.compile(r"wlc_([0-9a-f]{12})_")


class KeyScope(StrEnum):
    TENANT = "tenant"
    """Acts on its tenants' endpoints (``/unified/...``, ``/sync/...``), never on ``/admin``."""
    ADMIN = "admin"
    """A provider admin's key: acts on ``/admin`` (tenants, their schedules), never on a tenant's endpoints."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A key's record, without its secret."""

    id: str
    tenants: tuple[str, ...]
    """The tenants (``x-account-id`` names) the key may act on; none for an admin key."""
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    scope: KeyScope = KeyScope.TENANT

    def usable_at(self, moment: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or moment < self.expires_at)


def _hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def presented_as(raw_key: str) -> str:
    """How a log names a key that was presented, never showing it: its id (the public half) when it is shaped
    as a key, valid or not, else a fingerprint (the first 12 hex digits of its SHA-256)."""
    match = _KEY_ID.match(raw_key)
    return match.group(1) if match else f"fingerprint {_hash(raw_key)[:12]}"


class SqlApiKeyStore:
    """API keys in ``engine``'s database (SQLite or PostgreSQL). Constructing the store creates any missing
    table. Every storage failure raises ``LedgerStorageError``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        with storage_errors(engine, "create its tables", _STORE):
            ensure_schema(engine)

    def create(
        self, tenants: Sequence[str], now: datetime, expires_at: datetime | None = None, *, admin: bool = False
    ) -> tuple[ApiKey, str]:
        """A new key bound to ``tenants`` (a tenant key) or, with ``admin``, a provider-admin key bound to none;
        returns its record and the key itself, which is never stored."""
        if admin and tenants:
            raise ValueError("an admin key is bound to no tenant")
        if not admin and not tenants:
            raise ValueError("a key must be bound to at least one tenant")
        key_id = secrets.token_hex(6)
        raw_key = f"wlc_{key_id}_{secrets.token_urlsafe(32)}"
        scope = KeyScope.ADMIN if admin else KeyScope.TENANT
        record = ApiKey(key_id, tuple(dict.fromkeys(tenants)), now, expires_at, scope=scope)
        row = {
            "id": key_id,
            "key_hash": _hash(raw_key),
            "accounts": list(record.tenants),  # the column keeps the seed's word: x-account-id names a tenant
            "created_at": now,
            "expires_at": expires_at,
            "scope": KeyScope.ADMIN.value if admin else None,
        }
        with storage_errors(self._engine, "create a key", _STORE), writing(self._engine) as connection:
            connection.execute(insert(api_keys).values(row))
        return record, raw_key

    def verify(self, raw_key: str, now: datetime) -> ApiKey | None:
        """The key's record when ``raw_key`` is a key this store issued, not revoked and not expired; else None."""
        match = _KEY.fullmatch(raw_key)
        if match is None:
            return None
        query = select(api_keys).where(api_keys.c.id == match.group(1))
        with storage_errors(self._engine, "read a key", _STORE), self._engine.begin() as connection:
            row = connection.execute(query).one_or_none()
        if row is None or not hmac.compare_digest(row.key_hash, _hash(raw_key)):
            return None
        record = _record(row)
        return record if record.usable_at(now) else None

    def record(self, key_id: str) -> ApiKey | None:
        """The record of key ``key_id`` (revoked and expired ones too); None when there is no such key."""
        query = select(api_keys).where(api_keys.c.id == key_id)
        with storage_errors(self._engine, f"read key {key_id}", _STORE), self._engine.begin() as connection:
            row = connection.execute(query).one_or_none()
        return None if row is None else _record(row)

    def list_keys(self) -> list[ApiKey]:
        query = select(api_keys).order_by(api_keys.c.created_at, api_keys.c.id)
        with storage_errors(self._engine, "list keys", _STORE), self._engine.begin() as connection:
            return [_record(row) for row in connection.execute(query)]

    def revoke(self, key_id: str, now: datetime) -> bool:
        """Revokes the key; False when there is no such key or it was already revoked."""
        statement = (
            update(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None)).values(revoked_at=now)
        )
        with storage_errors(self._engine, f"revoke key {key_id}", _STORE), writing(self._engine) as connection:
            return connection.execute(statement).rowcount == 1


def _record(row: Row[Any]) -> ApiKey:
    return ApiKey(
        id=row.id,
        tenants=tuple(str(a) for a in row.accounts),
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        scope=KeyScope.ADMIN if row.scope == KeyScope.ADMIN.value else KeyScope.TENANT,
    )
