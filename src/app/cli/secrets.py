"""``wlc secrets``: the keys that seal the tenants' secrets in the ledger (``app.tenants.secrets``)."""

from __future__ import annotations

import typer

from app.cli.context import CliContext
from app.cli.terminal import LiteralConsole

commands = typer.Typer(help="The keys that encrypt secrets in the ledger: make a new one, rotate to it.")


@commands.command("new-key")
def new_key() -> None:
    """Print a fresh key. Put it first in WLC_SECRET_KEYS (or the key file), run 'wlc secrets rotate', then
    drop the old keys."""
    from app.tenants.secrets import new_key as fresh

    typer.echo(fresh())


@commands.command("rotate")
def rotate(ctx: typer.Context) -> None:
    """Seal every secret in the ledger again with the first key: the tenants' secrets and the refresh tokens
    Workday rotated. The other keys are then no longer needed."""
    from adapters.storage.refresh_tokens import reseal_tokens

    application = CliContext.of(ctx).application()
    application.tenants()  # imports the file's tenants, seals what an earlier version kept in the clear
    box = application.secrets()
    tenants = application.tenant_directory().reseal()
    tokens = reseal_tokens(application.ledger_engine(), box.reseal)
    LiteralConsole().print(
        f"Sealed again with the first key of {box.where}: {tenants} tenant secrets and {tokens} refresh tokens. "
        "The other keys can now be dropped.",
        soft_wrap=True,
    )
