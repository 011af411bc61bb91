"""What ``wlc tenants`` and ``wlc schedules`` share: the use case (after the configuration file's tenants are
imported), a refusal as a CLI error, and a settings file read as one tenant's table."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, TypeVar

import typer
from returns.result import Failure, Result

from app.cli.context import CliContext
from app.errors import ConfigurationError
from app.use_cases.tenants import ManageTenants, TenantRefusal

T = TypeVar("T")


def manage(ctx: typer.Context) -> ManageTenants:
    application = CliContext.of(ctx).application()
    application.tenants()  # imports the configuration file's tenants first
    manage_tenants = application.manage_tenants()
    assert isinstance(manage_tenants, ManageTenants)
    return manage_tenants


def done(result: Result[T, TenantRefusal]) -> T:
    """The result's value; a refusal ends the command with its message (exit 2)."""
    match result:
        case Failure(refusal):
            raise ConfigurationError(str(refusal))
    return result.unwrap()


def settings_file(path: Path) -> dict[str, Any]:
    """One tenant's settings from a TOML file (the body of a ``[tenants.NAME]`` table) or a JSON file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as unreadable:
        raise ConfigurationError(f"{path} cannot be read: {unreadable.strerror or unreadable}") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as bad:
            raise ConfigurationError(
                f"{path} is not valid JSON: {bad.msg} at line {bad.lineno}, column {bad.colno}"
            ) from None
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as bad:
            raise ConfigurationError(f"{path} is not valid TOML: {bad}") from None
    if not isinstance(data, dict):
        raise ConfigurationError(f"{path} holds no table of settings")
    return data
