"""``wlc runs``: read the ledger."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli import render
from app.cli.context import CliContext
from app.cli.terminal import LiteralConsole
from app.errors import ConfigurationError

commands = typer.Typer(help="Past runs and the actions they applied, from the ledger.")


@commands.command("list")
def list_runs(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="How many runs, newest first.")] = 20,
    all_tenants: Annotated[bool, typer.Option("--all-tenants", help="Runs of every tenant.")] = False,
) -> None:
    """The latest runs, newest first."""
    context = CliContext.of(ctx)
    ledger = context.container().sync_ledger()
    tenant = None if all_tenants else context.container().tenant_name()
    render.show_runs(LiteralConsole(), ledger.runs(limit=limit, tenant=tenant))


@commands.command("show")
def show_run(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(help="The run's id, from 'wlc runs list'.")],
    limit: Annotated[int, typer.Option(help="How many actions to show.")] = 100,
) -> None:
    """One run: its outcome, counts, and every action with who, what, why, when and the result."""
    ledger = CliContext.of(ctx).container().sync_ledger()
    run = ledger.run(run_id)
    if run is None:
        raise ConfigurationError(f"there is no run {run_id} in the ledger")
    render.show_run(LiteralConsole(), run, ledger.actions(run_id), limit)
