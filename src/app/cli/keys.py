"""``wlc keys``: API keys for ``wlc serve``, stored hashed in the ledger's database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from app.cli.context import CliContext
from app.cli.terminal import LiteralConsole
from app.errors import ConfigurationError
from app.settings import Settings, load_settings

if TYPE_CHECKING:
    from adapters.storage.api_keys import SqlApiKeyStore

commands = typer.Typer(help="API keys for the HTTP API: create (shown once), list, revoke.")


def _settings(ctx: typer.Context) -> Settings:
    return load_settings(CliContext.of(ctx).config_file)


def _store(settings: Settings) -> SqlApiKeyStore:
    from adapters.storage import create_engine_for
    from adapters.storage.api_keys import SqlApiKeyStore

    return SqlApiKeyStore(create_engine_for(settings.ledger_url))


@commands.command("create")
def create(
    ctx: typer.Context,
    accounts: Annotated[
        list[str] | None, typer.Option("--account", "-a", help="An account (tenant) the key may use.")
    ] = None,
    admin: Annotated[
        bool, typer.Option("--admin", help="A provider admin's key: /admin only, no tenant's endpoints.")
    ] = False,
    expires: Annotated[int | None, typer.Option("--expires", min=1, help="Days until the key expires.")] = None,
) -> None:
    """Create a key bound to the given accounts, or an admin key (--admin). The key is printed once: only its
    hash is kept."""
    accounts = accounts or []
    if admin == bool(accounts):
        raise ConfigurationError("give the accounts the key may use (--account NAME), or --admin for an admin key")
    settings = _settings(ctx)
    if accounts:
        known = CliContext.of(ctx).application().tenants().names
        unknown = [a for a in accounts if a not in known]
        if unknown:
            raise ConfigurationError(
                f"account {', '.join(unknown)} is not a configured tenant; known: {', '.join(sorted(known)) or 'none'}"
            )
    now = datetime.now(UTC)
    expires_at = None if expires is None else now + timedelta(days=expires)
    record, raw_key = _store(settings).create(accounts, now, expires_at, admin=admin)
    console = LiteralConsole(stderr=True)
    console.print(f"Admin key {record.id}" if admin else f"Key {record.id} for {', '.join(record.tenants)}")
    if expires_at is not None:
        console.print(f"Expires {expires_at:%Y-%m-%d %H:%M} UTC")
    console.print("Store it now: it is not shown again.")
    typer.echo(raw_key)


@commands.command("list")
def list_keys(ctx: typer.Context) -> None:
    """Every key: its id, accounts, and when it was created, expires or was revoked (never the key)."""
    from adapters.storage.api_keys import KeyScope

    table = Table(title="API keys")
    for column in ("id", "accounts", "created", "expires", "revoked"):
        table.add_column(column)
    for key in _store(_settings(ctx)).list_keys():
        table.add_row(
            key.id,
            "(admin)" if key.scope is KeyScope.ADMIN else ", ".join(key.tenants),
            f"{key.created_at:%Y-%m-%d %H:%M}",
            f"{key.expires_at:%Y-%m-%d %H:%M}" if key.expires_at else "",
            f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "",
        )
    LiteralConsole().print(table)


@commands.command("revoke")
def revoke(
    ctx: typer.Context, key_id: Annotated[str, typer.Argument(help="The key's id, from 'wlc keys list'.")]
) -> None:
    """Revoke a key: requests with it are refused (401) from now on."""
    if not _store(_settings(ctx)).revoke(key_id, datetime.now(UTC)):
        raise ConfigurationError(f"there is no key {key_id} that is not already revoked")
    LiteralConsole().print(f"Key {key_id} revoked.")
