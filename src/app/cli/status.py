"""``wlc status``: every tenant's health at a glance, from the ledger."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from app.cli.context import CliContext
from app.cli.terminal import LiteralConsole, literal
from app.errors import ConfigurationError
from domain.runs import RunKind

if TYPE_CHECKING:
    from domain.tenant_status import KindStatus, TenantStatus


def status(
    ctx: typer.Context,
    tenants: Annotated[
        list[str] | None, typer.Option("--tenant", "-t", help="Only this tenant (repeat for several).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print every figure as JSON.")] = False,
) -> None:
    """Each tenant's runs (last success, last failure, next scheduled), deliveries and outbox, refused completions,
    the plan the removal guard holds back, rejected report rows, pause, and the refresh token."""
    context = CliContext.of(ctx)
    statuses = context.application().tenant_status()(chosen_tenants(context, tenants))
    console = LiteralConsole()
    if as_json:
        from app.status_json import status_document

        console.print_json(json.dumps([status_document(s) for s in statuses]))
    else:
        show_status(console, statuses)


def chosen_tenants(context: CliContext, tenants: list[str] | None) -> list[str] | None:
    """The tenants the command's ``--tenant`` options name, else the global ``--tenant``'s, else None (every one);
    raises ``ConfigurationError`` naming a tenant that is not configured."""
    chosen = tenants or ([context.tenant] if context.tenant else None)
    known = [profile.name for profile in context.application().tenant_roster()()]
    unknown = [name for name in chosen or () if name not in known]
    if unknown:
        raise ConfigurationError(
            f"tenant {', '.join(repr(n) for n in unknown)} is not configured; known: {', '.join(known) or 'none'}"
        )
    return chosen


def show_status(console: Console, statuses: list[TenantStatus]) -> None:
    """One row per tenant: what failed in red, what waits on a person in yellow."""
    table = Table(title="Tenants", show_lines=True)
    for column in (
        "tenant",
        "membership",
        "transcripts",
        "reconcile",
        "deliveries",
        "outbox",
        "refused",
        "rejected rows",
        "refresh token",
    ):
        table.add_column(column)
    for status in statuses:
        now = status.as_of
        name = literal(status.tenant)
        if status.paused:
            name.append("\npaused", "yellow")
        membership = _kind(status.of(RunKind.MEMBERSHIP), now)
        if status.blocked_plan is not None:
            run = status.blocked_plan.run_id
            membership.append(f"\nblocked plan: run {run}\n(wlc membership approve {run})", "yellow")
        table.add_row(
            name,
            membership,
            _kind(status.of(RunKind.TRANSCRIPTS), now),
            _kind(status.of(RunKind.RECONCILE), now),
            _deliveries(status),
            _outbox(status),
            _refused(status, now),
            _rejected(status),
            _token(status, now),
        )
    console.print(table)
    if not statuses:
        console.print("No tenant is configured.")


def _ago(moment: datetime, now: datetime) -> str:
    return _span(now - moment) + " ago"


def _span(span: timedelta) -> str:
    seconds = max(int(span.total_seconds()), 0)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _kind(status: KindStatus, now: datetime) -> Text:
    shown = Text()
    if status.last_success is not None:
        shown.append(f"ok {_ago(status.last_success.at, now)} (run {status.last_success.run_id})", "green")
    else:
        shown.append("never succeeded", "dim")
    if status.last_failure is not None:
        style = "red" if status.failing else "dim"
        shown.append(f"\n{status.last_failure.outcome} {_ago(status.last_failure.at, now)}", style)
        shown.append(f" (run {status.last_failure.run_id})", style)
    if status.paused:
        shown.append("\npaused", "yellow")
    elif status.next_run is not None:
        shown.append(f"\nnext in {_span(status.next_run - now)}")
    elif not status.scheduled:
        shown.append("\nnot scheduled", "dim")
    return shown


def _deliveries(status: TenantStatus) -> Text:
    deliveries, now = status.deliveries, status.as_of
    shown = Text()
    shown.append("delivered " + (_ago(deliveries.last_delivered, now) if deliveries.last_delivered else "never"))
    if deliveries.last_failed is not None:
        shown.append(f"\nfailed {_ago(deliveries.last_failed, now)}", "red")
    return shown


def _outbox(status: TenantStatus) -> Text:
    age = status.oldest_pending_age
    if age is None:
        return Text("empty")
    return Text(f"{status.deliveries.depth} pending\noldest {_span(age)}", "yellow" if age > timedelta(hours=1) else "")


def _refused(status: TenantStatus, now: datetime) -> Text:
    deliveries = status.deliveries
    if not deliveries.refused or deliveries.last_refused is None:
        return Text("0")
    shown = Text(f"{deliveries.refused}, latest {_ago(deliveries.last_refused, now)}", "red")
    if deliveries.last_refusal:
        shown.append("\n")
        shown.append(literal(deliveries.last_refusal[:80]))
    return shown


def _rejected(status: TenantStatus) -> Text:
    if status.rejected_rows_run is None:
        return Text("")
    shown = Text(str(status.rejected_rows), "yellow" if status.rejected_rows else "")
    if status.rejected_rows:
        shown.append(f"\n(wlc runs show {status.rejected_rows_run})", "dim")
    return shown


def _token(status: TenantStatus, now: datetime) -> Text:
    token = status.token
    shown = Text()
    if token.last_success is not None:
        shown.append(f"granted {_ago(token.last_success, now)}", "green")
    if token.last_refusal is not None:
        shown.append(
            ("\n" if shown else "") + f"refused {_ago(token.last_refusal, now)}", "red" if token.refused else "dim"
        )
    return shown if shown else Text("not used yet", "dim")
