"""``wlc tenants``: the tenants the connector serves, kept in the ledger's tenants table. A change is served by
every running process (``wlc serve`` among them) within seconds, with no restart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from app.cli.tenant_admin import done, manage, settings_file
from app.cli.terminal import LiteralConsole
from app.errors import ConfigurationError
from app.tenants.directory import Tenant
from app.tenants.settings_data import masked, merged, patch_at, value_for

commands = typer.Typer(
    help="The tenants served, kept in the ledger: add, list, show, edit, pause, resume, remove. The "
    "configuration file's tenants are imported at every start."
)

Name = Annotated[str, typer.Argument(help="The tenant's name: the x-account-id API callers send.")]
Sets = Annotated[
    list[str] | None,
    typer.Option("--set", help="path=value, e.g. learning.rate_limit=7 or oauth.client_secret=...; repeatable."),
]
FromFile = Annotated[
    Path | None,
    typer.Option("--file", "-f", help="A TOML or JSON file of one tenant's settings (a [tenants.NAME] table's body)."),
]


def _patch(sets: list[str], unsets: list[str] | None = None) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    for assignment in sets:
        path, equals, raw = assignment.partition("=")
        path = path.strip()
        if not equals or not path:
            raise ConfigurationError(f"--set {assignment!r}: write path=value, e.g. learning.rate_limit=7")
        patch = merged(patch, patch_at(path, value_for(path, raw)))
    for path in unsets or []:
        patch = _deep_set_null(patch, path.strip())
    return patch


def _deep_set_null(patch: dict[str, Any], path: str) -> dict[str, Any]:
    *parents, last = path.split(".")
    current = patch
    for part in parents:
        current = current.setdefault(part, {})
    current[last] = None
    return patch


def _described(tenant: Tenant) -> str:
    record = tenant.record
    state = "paused" if tenant.settings.get("paused") else "active"
    return (
        f"Tenant {record.name}: {state}, version {record.version}, from {record.origin.value}, "
        f"created {record.created_at:%Y-%m-%d %H:%M} UTC, updated {record.updated_at:%Y-%m-%d %H:%M} UTC"
    )


def _lines(data: Any, prefix: str = "") -> list[str]:
    if isinstance(data, dict):
        return [line for key, value in data.items() for line in _lines(value, f"{prefix}{key}.")]
    return [f"{prefix[:-1]} = {json.dumps(data, ensure_ascii=False)}"]


@commands.command("add")
def add(
    ctx: typer.Context,
    name: Name,
    from_file: FromFile = None,
    sets: Sets = None,
    paused: Annotated[bool, typer.Option("--paused", help="Add it paused: nothing runs by itself.")] = False,
) -> None:
    """Add a tenant from a file, --set options, or both (--set applied over the file)."""
    if from_file is None and not sets:
        raise ConfigurationError("give the tenant's settings: --file tenant.toml, --set path=value, or both")
    data = settings_file(from_file) if from_file is not None else {}
    data = merged(data, _patch(sets or []))
    if paused:
        data["paused"] = True
    tenant = done(manage(ctx).add(name, data))
    LiteralConsole().print(_described(tenant))


@commands.command("list")
def list_tenants(ctx: typer.Context) -> None:
    """Every tenant: its Workday, whether it is paused, its version and where it came from (no secret)."""
    table = Table(title="Tenants")
    for column in ("name", "workday tenant", "host", "state", "version", "from", "updated"):
        table.add_column(column)
    for tenant in manage(ctx).list():
        settings, record = tenant.settings, tenant.record
        table.add_row(
            record.name,
            str(settings.get("tenant", "")),
            str(settings.get("host", "")),
            "paused" if settings.get("paused") else "active",
            str(record.version),
            record.origin.value,
            f"{record.updated_at:%Y-%m-%d %H:%M}",
        )
    LiteralConsole().print(table)


@commands.command("show")
def show(
    ctx: typer.Context,
    name: Name,
    as_json: Annotated[bool, typer.Option("--json", help="The admin API's model, for scripts.")] = False,
) -> None:
    """One tenant's settings, each secret that is set shown as **********."""
    tenant = done(manage(ctx).show(name))
    if as_json:
        from app.http.admin_schemas import TenantOut

        typer.echo(TenantOut.of(tenant).model_dump_json(indent=2))
        return
    console = LiteralConsole()
    console.print(_described(tenant))
    for line in _lines(masked(tenant.settings, tenant.secrets_set)):
        console.print(line, soft_wrap=True)


@commands.command("edit")
def edit(
    ctx: typer.Context,
    name: Name,
    sets: Sets = None,
    unsets: Annotated[
        list[str] | None, typer.Option("--unset", help="A setting to take back to its default; repeatable.")
    ] = None,
    from_file: Annotated[
        Path | None, typer.Option("--file", "-f", help="A TOML or JSON file of settings merged over the current ones.")
    ] = None,
) -> None:
    """Change some settings; the rest stay. Checked as the configuration file is: errors name the setting."""
    if from_file is None and not sets and not unsets:
        raise ConfigurationError("say what to change: --set path=value, --unset path or --file settings.toml")
    patch = settings_file(from_file) if from_file is not None else {}
    patch = merged(patch, _patch(sets or [], unsets))
    tenant = done(manage(ctx).change(name, patch))
    LiteralConsole().print(_described(tenant))


@commands.command("pause")
def pause(ctx: typer.Context, name: Name) -> None:
    """Pause a tenant: no schedule fires and its outbox is not delivered until it is resumed."""
    LiteralConsole().print(_described(done(manage(ctx).pause(name))))


@commands.command("resume")
def resume(ctx: typer.Context, name: Name) -> None:
    """Resume a paused tenant."""
    LiteralConsole().print(_described(done(manage(ctx).resume(name))))


@commands.command("remove")
def remove(
    ctx: typer.Context,
    name: Name,
    yes: Annotated[bool, typer.Option("--yes", help="Remove it: without this, only say what would happen.")] = False,
) -> None:
    """Remove a tenant. Its history stays in the ledger (runs, outbox entries, deliveries); its API keys stay
    but are refused."""
    from app.cli.context import CliContext

    manage_tenants = manage(ctx)
    if not yes:
        done(manage_tenants.show(name))
        kept = CliContext.of(ctx).application().tenant_store().rows_naming(name)
        raise ConfigurationError(
            f"removing tenant {name!r} needs --yes; the ledger would keep {_kept(kept)}, and its API keys would "
            "be refused"
        )
    removal = done(manage_tenants.remove(name))
    LiteralConsole().print(
        f"Removed tenant {name}. The ledger keeps {_kept(removal.kept)}; its API keys are refused from now on "
        "(revoke them with 'wlc keys revoke')."
    )


def _kept(kept: dict[str, int] | Any) -> str:
    return ", ".join(f"its {what} ({count})" for what, count in dict(kept).items())
