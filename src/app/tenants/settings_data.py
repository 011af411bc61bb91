"""A tenant's settings as data: split into plain JSON and secrets for the store, joined again, changed by a
merge patch (RFC 7386: a table merges, ``null`` removes a setting, anything else replaces it) or a dotted path,
and validated by ``TenantSettings`` with errors named by dotted path (``learning.rate_limit: ...``)."""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, get_origin

from pydantic import BaseModel, SecretStr, ValidationError
from returns.result import Failure, Result, Success

from app.settings import TenantSettings
from app.settings_errors import explain, setting_type

MASK = "**********"


@dataclass(frozen=True, slots=True)
class SettingsRefused:
    """Settings ``TenantSettings`` refused: one line per problem, each led by its dotted path."""

    problems: tuple[str, ...]

    @property
    def field(self) -> str | None:
        first = self.problems[0] if self.problems else ""
        path, _, _ = first.partition(":")
        return path or None

    @property
    def message(self) -> str:
        return "; ".join(self.problems)


def validated(data: Mapping[str, Any]) -> Result[TenantSettings, SettingsRefused]:
    """``data`` (one tenant's settings, the shape of a ``[tenants.NAME]`` table) as ``TenantSettings``."""
    try:
        return Success(TenantSettings.model_validate(dict(data)))
    except ValidationError as refused:
        return Failure(SettingsRefused(tuple(explain(refused, TenantSettings))))


def split(settings: TenantSettings) -> tuple[dict[str, Any], dict[str, str]]:
    """The settings the operator set (defaults left to the code) as JSON without secrets, and each secret's dotted
    path to its value."""
    secrets: dict[str, str] = {}
    _collect(settings, "", secrets)
    data = settings.model_dump(mode="json", exclude_unset=True)
    for path in secrets:
        _remove(data, path)
    return data, secrets


def _collect(model: BaseModel, prefix: str, into: dict[str, str]) -> None:
    for name in model.model_fields_set:
        value = getattr(model, name)
        if isinstance(value, SecretStr):
            into[f"{prefix}{name}"] = value.get_secret_value()
        elif isinstance(value, BaseModel):
            _collect(value, f"{prefix}{name}.", into)


def joined(data: Mapping[str, Any], secrets: Mapping[str, str]) -> dict[str, Any]:
    """``split``'s two halves as one tenant's settings data again."""
    whole: dict[str, Any] = json.loads(json.dumps(data))
    for path, value in secrets.items():
        _place(whole, path, value)
    return whole


def digest(settings: TenantSettings) -> str:
    """A digest of the settings, secrets included, to tell whether a file's copy changed since its last import.
    Every tenant holds at least one secret of high entropy (its provider API key), so the digest reveals none."""
    data, secrets = split(settings)
    canonical = json.dumps({"settings": data, "secrets": secrets}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def merged(target: Any, patch: Any) -> Any:
    """``patch`` applied to ``target`` as a JSON merge patch (RFC 7386)."""
    if not isinstance(patch, Mapping):
        return patch
    result = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merged(result.get(key), value)
    return result


def patch_at(path: str, value: Any) -> dict[str, Any]:
    """The merge patch that sets the dotted ``path`` to ``value`` (None removes the setting)."""
    parts = path.split(".")
    patch: dict[str, Any] = {parts[-1]: value}
    for part in reversed(parts[:-1]):
        patch = {part: patch}
    return patch


_PARSED = (int, float, bool, list, dict, tuple)


def value_for(path: str, raw: str) -> Any:
    """``raw`` (from ``--set path=raw``) as the setting at ``path`` takes it: a number, a boolean, a list or a
    table is read as a TOML value (``7``, ``true``, ``["membership"]``), anything else is the text as written."""
    kind = setting_type(path.split("."), TenantSettings)
    if kind in _PARSED or get_origin(kind) in _PARSED:
        try:
            return tomllib.loads(f"value = {raw}")["value"]
        except tomllib.TOMLDecodeError:
            return raw
    return raw


def masked(data: Mapping[str, Any], secret_paths: Any) -> dict[str, Any]:
    """``data`` with each secret that is set shown as ``**********``."""
    return joined(data, {path: MASK for path in secret_paths})


def _remove(data: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    current: Any = data
    for part in parents:
        current = current.get(part) if isinstance(current, dict) else None
    if isinstance(current, dict):
        current.pop(last, None)


def _place(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    current = data
    for part in parents:
        current = current.setdefault(part, {})
    current[last] = value
