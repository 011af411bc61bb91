"""``wlc workday``: what will work on the tenant's Workday, checked before any write (``check``; ``check-wsdl`` is
its old name)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from app.cli.context import CliContext
from app.cli.terminal import LiteralConsole, literal
from app.errors import ExitCode

if TYPE_CHECKING:
    from adapters.workday.tenant_check import Outcome, TenantCheck, TenantParts
    from app.container import TenantContainer

commands = typer.Typer(help="What will work on the tenant's Workday, checked before any write.")

_STYLES = {"OK": "green", "degraded": "yellow", "unavailable": "red", "cannot connect": "bold red"}


def check(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the check as JSON, for scripts.")] = False,
) -> None:
    """What will work on the tenant, before any write: each feature OK, degraded or unavailable.

    It checks the OAuth grant or the ISU, the RaaS report (its columns, its first rows), the Learning and Talent
    WSDLs, and each feature: OK, degraded (what is left out) or unavailable (what is missing). Read only: nothing
    is sent to Workday but reads, and nothing is written to the ledger but a refresh token Workday rotates, kept
    as every command keeps it. Exit 0 all OK, 1 something degraded or unavailable, 2 cannot connect (credentials
    refused, a host unreachable, a WSDL not loaded)."""
    from adapters.workday.tenant_check import check_tenant

    container = CliContext.of(ctx).container()
    try:
        found = check_tenant(_parts(container))
    finally:
        container.shutdown_resources()
    code = _exit_code(found.outcome)
    if as_json:
        typer.echo(json.dumps({**found.as_json(), "exit_code": int(code)}, indent=2))
    else:
        _show(LiteralConsole(), found, container)
    raise typer.Exit(code)


commands.command("check")(check)
commands.command("check-wsdl", help="The same as 'wlc workday check' (its old name).")(check)


def _parts(container: TenantContainer) -> TenantParts:
    from adapters.workday.tenant_check import TenantParts

    tenant = container.tenant()
    uses_oauth = "oauth" in (tenant.raas.auth, tenant.learning.auth) or tenant.lms.catalog == "rest"
    uses_isu = "isu" in (tenant.raas.auth, tenant.learning.auth)
    return TenantParts(
        tenant=container.tenant_name(),
        report=container.worker_directory,
        learning=container.learning_client,
        talent=container.talent_client,
        grade_pass=tenant.learning.grade_pass,
        grade_fail=tenant.learning.grade_fail,
        report_auth=tenant.raas.auth,
        soap_auth=tenant.learning.auth,
        tokens=container.token_provider if uses_oauth else None,
        token_url=tenant.token_url,
        isu_user=tenant.isu.username if uses_isu and tenant.isu is not None else None,
    )


def _exit_code(outcome: Outcome) -> ExitCode:
    from adapters.workday.tenant_check import Outcome

    if outcome is Outcome.CANNOT_CONNECT:
        return ExitCode.CANNOT_CONNECT
    return ExitCode.DONE if outcome is Outcome.OK else ExitCode.SOME_FAILED


def _show(console: LiteralConsole, found: TenantCheck, container: TenantContainer) -> None:
    table = Table(title=f"What works on tenant {found.tenant}")
    for column in ("check", "result", "detail"):
        table.add_column(column, overflow="fold")
    for line in found.lines:
        table.add_row(
            literal(line.subject), literal(line.outcome.value, _STYLES[line.outcome.value]), literal(line.detail)
        )
    console.print(table)
    console.print(literal(str(found.grades)))
    if container.tenant().lms.catalog == "rest":
        console.print(
            literal("Catalog reads go over the Learning REST API (lms.catalog = rest), which is not tried here.")
        )
    console.print(Text.assemble("Result: ", literal(found.outcome.value, _STYLES[found.outcome.value])))
