"""``wlc workday``: checks against a tenant's own Workday contract."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.context import CliContext
from app.cli.terminal import LiteralConsole
from app.errors import ExitCode

commands = typer.Typer(help="Checks against the tenant's Workday.")


@commands.command("check-wsdl")
def check_wsdl(
    ctx: typer.Context,
    wsdl: Annotated[
        str | None, typer.Option(help="A WSDL URL or file (default: the tenant's Learning endpoint ?wsdl).")
    ] = None,
) -> None:
    """Report every operation, element and ID type the connector sends that the tenant's WSDL lacks."""
    from adapters.workday.learning.wsdl_check import check_wsdl as check
    from adapters.workday.soap.client import wsdl_url

    tenant = CliContext.of(ctx).container().tenant()
    source = wsdl or tenant.learning.wsdl or wsdl_url(tenant.learning_endpoint)
    problems = check(source)
    console = LiteralConsole()
    if not problems:
        console.print(f"{source}: every operation, element and ID type the connector uses is there.")
        raise typer.Exit(ExitCode.DONE)
    console.print(f"{source}: {len(problems)} things the connector uses are missing:")
    for problem in problems:
        console.print(f"  - {problem}")
    console.print("Record what the tenant has instead in docs/workday-contract.md and in the mapping module.")
    raise typer.Exit(ExitCode.SOME_FAILED)
