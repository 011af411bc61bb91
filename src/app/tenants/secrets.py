"""Secrets at rest: every secret the ledger keeps (a tenant's client secret, refresh token, ISU password and
provider API key, and the refresh tokens Workday rotates) is sealed with Fernet (AES-128-CBC with an
HMAC-SHA256, from ``cryptography``) under the operator's keys.

Where the keys come from, first found first:
1. ``WLC_SECRET_KEYS`` (the setting ``secret_keys``): keys separated by commas;
2. the file the setting ``secret_key_file`` (``WLC_SECRET_KEY_FILE``) names: one key a line, ``#`` comments;
3. on a SQLite ledger file, ``wlc-secret.key`` beside it, made (readable by its owner only) the first time a
   secret is sealed, if the ledger holds no sealed secret yet: the embedded default needs no setting. A
   backup of the ledger alone then holds no secret; one of its directory holds the key too, so keep the key
   elsewhere (1 or 2) where that matters, and always on PostgreSQL, where there is no default.

The first key seals; every key opens (``MultiFernet``). To rotate: put a new key (``wlc secrets new-key``)
first, run ``wlc secrets rotate``, which seals every secret again with it, then drop the old keys. A missing,
malformed or wrong key is a ``ConfigurationError`` naming the setting and the secret it could not open, never
the secret nor the key."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from app.errors import ConfigurationError
from app.settings import Settings

DEFAULT_KEY_FILE = "wlc-secret.key"
NEW_KEY_HINT = "make one with 'wlc secrets new-key'"


def new_key() -> str:
    """A fresh Fernet key: 32 random bytes, url-safe base64."""
    return Fernet.generate_key().decode("ascii")


@dataclass(frozen=True, slots=True)
class _Keys:
    fernet: MultiFernet
    where: str
    """The setting the keys came from, as an operator finds it."""


class SecretBox:
    """Seals and opens secrets with the keys ``find_keys`` finds, on first need (``wlc tenants list`` needs
    none). Safe to share between threads."""

    def __init__(self, find_keys: Callable[[], tuple[list[str], str]]) -> None:
        self._find_keys = find_keys
        self._keys: _Keys | None = None
        self._lock = threading.Lock()

    def seal(self, plain: str) -> str:
        return self._loaded().fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def open(self, sealed: str, what: str) -> str:
        """The secret ``sealed`` holds; raises ``ConfigurationError`` naming ``what`` and the keys' setting when
        no key opens it."""
        keys = self._loaded()
        try:
            return keys.fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise self._unopened(keys, what) from None

    def reseal(self, sealed: str, what: str) -> str:
        """``sealed`` sealed again with the first key (``MultiFernet.rotate``)."""
        keys = self._loaded()
        try:
            return keys.fernet.rotate(sealed.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeError):
            raise self._unopened(keys, what) from None

    @property
    def where(self) -> str:
        return self._loaded().where

    def _loaded(self) -> _Keys:
        with self._lock:
            if self._keys is None:
                raw, where = self._find_keys()
                self._keys = _Keys(MultiFernet([_fernet(key, n, where) for n, key in enumerate(raw, 1)]), where)
            return self._keys

    @staticmethod
    def _unopened(keys: _Keys, what: str) -> ConfigurationError:
        return ConfigurationError(
            f"{what} cannot be decrypted with the keys of {keys.where}: the key that encrypted it is not among "
            "them (a wrong key, or an old one dropped before 'wlc secrets rotate' sealed everything anew)"
        )


def _fernet(key: str, number: int, where: str) -> Fernet:
    try:
        return Fernet(key.encode("ascii"))
    except (ValueError, UnicodeError):
        raise ConfigurationError(
            f"{where}: key {number} is not a Fernet key (32 url-safe base64-encoded bytes); {NEW_KEY_HINT}"
        ) from None


def key_finder(settings: Settings, holds_sealed: Callable[[], bool]) -> Callable[[], tuple[list[str], str]]:
    """Where ``settings`` say the keys are (the module's docstring); ``holds_sealed`` says whether the ledger
    already holds a sealed secret, so a default key file that is missing is not made anew over it."""

    def find() -> tuple[list[str], str]:
        if settings.secret_keys is not None:
            where = "WLC_SECRET_KEYS (setting secret_keys)"
            keys = [key.strip() for key in settings.secret_keys.get_secret_value().split(",") if key.strip()]
            if not keys:
                raise ConfigurationError(f"{where} holds no key; {NEW_KEY_HINT}")
            return keys, where
        if settings.secret_key_file is not None:
            return _read_key_file(settings.secret_key_file, "setting secret_key_file"), _file(
                settings.secret_key_file, "setting secret_key_file"
            )
        default = _default_key_file(settings.ledger_url)
        if default is None:
            if _in_memory(settings.ledger_url):
                return [new_key()], "a key of this process's own (an in-memory ledger)"
            raise ConfigurationError(
                "no key to encrypt the tenants' secrets in the ledger: set WLC_SECRET_KEYS (setting secret_keys) or "
                f"secret_key_file; {NEW_KEY_HINT}"
            )
        how = "default of setting secret_key_file, beside the ledger"
        if not default.exists():
            if holds_sealed():
                raise ConfigurationError(
                    f"the key file {default} ({how}) is missing, and the ledger holds secrets it encrypted: put "
                    "it back, or name the keys with WLC_SECRET_KEYS (setting secret_keys) or secret_key_file"
                )
            _write_key_file(default)
        return _read_key_file(default, how), _file(default, how)

    return find


def _file(path: Path, how: str) -> str:
    return f"the key file {path} ({how})"


def _read_key_file(path: Path, how: str) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ConfigurationError(f"the key file {path} ({how}) does not exist; {NEW_KEY_HINT}") from None
    except (OSError, UnicodeError) as unreadable:
        raise ConfigurationError(
            f"the key file {path} ({how}) cannot be read: {unreadable.__class__.__name__}"
        ) from None
    keys = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    if not keys:
        raise ConfigurationError(f"the key file {path} ({how}) holds no key; {NEW_KEY_HINT}")
    return keys


def _write_key_file(path: Path) -> None:
    """Writes a new key to ``path`` unless another process has just written one: the file appears whole (written
    aside, then linked into place), so a process starting beside this one reads either nothing or the key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(
                f"# wlc's secret keys: the first encrypts, every one decrypts (wlc secrets rotate)\n{new_key()}\n"
            )
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(aside, path)
    finally:
        aside.unlink(missing_ok=True)


def _sqlite_database(ledger_url: str) -> str | None:
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(ledger_url)
    except ArgumentError:
        return None
    return url.database if url.get_backend_name() == "sqlite" else None


def _in_memory(ledger_url: str) -> bool:
    database = _sqlite_database(ledger_url)
    return ledger_url.startswith("sqlite") and (not database or database == ":memory:" or database.startswith("file:"))


def _default_key_file(ledger_url: str) -> Path | None:
    database = _sqlite_database(ledger_url)
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).parent / DEFAULT_KEY_FILE
