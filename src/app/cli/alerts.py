"""``wlc alerts``: evaluate the alerts once, and list the incidents held."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from app.cli.context import CliContext
from app.cli.status import chosen_tenants
from app.cli.terminal import LiteralConsole, literal
from app.errors import ExitCode

if TYPE_CHECKING:
    from domain.alerts import HeldIncident

commands = typer.Typer(help="Alerts: an incident per condition that needs a person, one alert and one recovery each.")


@commands.command("check")
def check(
    ctx: typer.Context,
    tenants: Annotated[
        list[str] | None, typer.Option("--tenant", "-t", help="Only this tenant (repeat for several).")
    ] = None,
) -> None:
    """Evaluate once: open the incidents the tenants' status shows, clear those it no longer shows, and send each
    alert and recovery notice owed. Exit 1 when a notice could not be sent (it is tried again next time)."""
    context = CliContext.of(ctx)
    application = context.application()
    chosen = chosen_tenants(context, tenants)
    try:
        report = application.evaluate_alerts()(chosen)
    finally:
        application.alert_routing().close()
    console = LiteralConsole()
    for incident in report.opened:
        console.print(literal("opened", "red"), incident.summary, soft_wrap=True)
    for key in report.cleared:
        console.print(literal("cleared", "green"), key, soft_wrap=True)
    for delivery in report.deliveries:
        if delivery.error is None:
            console.print(
                literal("sent", "cyan"), f"{delivery.notice.kind} {delivery.notice.incident.key} to {delivery.channel}"
            )
        else:
            console.print(literal("not sent", "bold red"), delivery.error, soft_wrap=True)
    open_now = [held for held in report.held if held.is_open]
    console.print(f"{len(open_now)} incidents open; {len(report.held) - len(open_now)} cleared with a notice owed.")
    raise typer.Exit(ExitCode.SOME_FAILED if report.failures else ExitCode.DONE)


@commands.command("list")
def list_incidents(ctx: typer.Context) -> None:
    """The incidents held: open, or cleared with a recovery notice still owed, and the channels reached."""
    held = CliContext.of(ctx).application().incident_log().held()
    show_incidents(LiteralConsole(), held)


def show_incidents(console: LiteralConsole, held: list[HeldIncident]) -> None:
    table = Table(title="Incidents")
    for column in ("opened", "tenant", "condition", "summary", "alerted", "cleared", "recovered"):
        table.add_column(column)
    for record in held:
        incident = record.incident
        table.add_row(
            f"{incident.opened_at:%Y-%m-%d %H:%M}",
            incident.tenant,
            f"{incident.kind} {incident.condition}" if incident.kind else str(incident.condition),
            incident.summary,
            ", ".join(sorted(record.alerted)),
            f"{record.cleared_at:%Y-%m-%d %H:%M}" if record.cleared_at else "",
            ", ".join(sorted(record.recovered)),
        )
    console.print(table)
