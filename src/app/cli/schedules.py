"""``wlc schedules``: when the runtime syncs each tenant by itself, kept with the tenant in the ledger
(``TenantSettings.schedules``): membership daily at a local time, transcripts every N minutes, reconcile weekly
(a dry run unless the tenant opts in to fixing), each in the tenant's time zone; a kind may be paused.

These commands change the data only; the runtime applies it. Commands that act on the runtime (trigger now,
backfill) belong in this group too: ``commands`` is the group ``wlc schedules``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from app.cli.context import CliContext
from app.cli.tenant_admin import done, manage
from app.cli.terminal import LiteralConsole
from app.errors import ConfigurationError
from app.use_cases.tenants import Schedules
from domain.schedules import SyncKind

if TYPE_CHECKING:
    from app.application import Application

commands = typer.Typer(
    help="Each tenant's schedules (membership daily, transcripts every N minutes, reconcile weekly), in its "
    "time zone: list, set, pause, resume; trigger a run now, backfill the runs missed."
)


class Scheduled(StrEnum):
    """The kinds that have a schedule (deliveries start from due work instead)."""

    MEMBERSHIP = "membership"
    TRANSCRIPTS = "transcripts"
    RECONCILE = "reconcile"


_SETTING = {
    Scheduled.MEMBERSHIP: "membership_daily_at",
    Scheduled.TRANSCRIPTS: "transcripts_every_minutes",
    Scheduled.RECONCILE: "reconcile_weekly",
}
_EXAMPLE = {Scheduled.MEMBERSHIP: "06:30", Scheduled.TRANSCRIPTS: "15", Scheduled.RECONCILE: "'sun 04:00'"}

Name = Annotated[str, typer.Argument(help="The tenant's name.")]
Kinds = Annotated[
    list[Scheduled] | None, typer.Argument(help="The kinds (membership, transcripts, reconcile); all when none.")
]


def _when(schedules: Schedules, kind: Scheduled) -> str:
    settings = schedules.settings
    if kind is Scheduled.MEMBERSHIP:
        at = settings.membership_daily_at
        return "off" if at is None else f"daily at {at:%H:%M}"
    if kind is Scheduled.TRANSCRIPTS:
        every = settings.transcripts_every_minutes
        return "off" if every is None else f"every {every} minutes"
    weekly = settings.reconcile_weekly
    return "off" if weekly is None else f"weekly, {weekly}" + (" (fixing)" if settings.reconcile_fix else " (dry run)")


def _table(all_schedules: list[Schedules]) -> Table:
    table = Table(title="Schedules")
    for column in ("tenant", "kind", "when", "zone", "cron", "state"):
        table.add_column(column)
    for schedules in all_schedules:
        for kind in Scheduled:
            cron = schedules.crons.get(SyncKind(kind.value))
            paused = SyncKind(kind.value) in schedules.settings.paused
            state = "off" if cron is None else "paused" if paused else "on"
            table.add_row(schedules.name, kind.value, _when(schedules, kind), schedules.timezone, cron or "", state)
    return table


@commands.command("list")
def list_schedules(
    ctx: typer.Context, name: Annotated[str | None, typer.Argument(help="One tenant; every one when none.")] = None
) -> None:
    """Every tenant's schedules (or one's): when each kind runs, in which zone, its cron expression, its state."""
    manage_tenants = manage(ctx)
    names = [name] if name else [tenant.record.name for tenant in manage_tenants.list()]
    LiteralConsole().print(_table([done(manage_tenants.schedules(each)) for each in names]))


@commands.command("set")
def set_schedule(
    ctx: typer.Context,
    name: Name,
    kind: Annotated[Scheduled, typer.Argument(help="membership, transcripts or reconcile.")],
    when: Annotated[
        str,
        typer.Argument(
            help="membership: a local time (06:30); transcripts: minutes (15); reconcile: a day and a time "
            "('sun 04:00'); any: off."
        ),
    ],
    fix: Annotated[
        bool | None,
        typer.Option("--fix/--dry-run", help="reconcile: correct what it finds, or only report (the default)."),
    ] = None,
) -> None:
    """Set when one kind runs for a tenant."""
    if fix is not None and kind is not Scheduled.RECONCILE:
        raise ConfigurationError("--fix and --dry-run are for the reconcile schedule")
    value: Any = when.strip()
    if kind is Scheduled.TRANSCRIPTS and value.lower() != "off":
        try:
            value = int(value)
        except ValueError:
            raise ConfigurationError(f"transcripts: {when!r} is not a number of minutes, such as 15, nor off") from None
    patch: dict[str, Any] = {_SETTING[kind]: value}
    if fix is not None:
        patch["reconcile_fix"] = fix
    refused_hint = f" (e.g. wlc schedules set {name} {kind.value} {_EXAMPLE[kind]})"
    try:
        schedules = done(manage(ctx).change_schedules(name, patch))
    except ConfigurationError as refused:
        raise ConfigurationError(f"{refused}{refused_hint}") from None
    LiteralConsole().print(_table([schedules]))


def _paused(ctx: typer.Context, name: str, kinds: list[Scheduled] | None, pause: bool) -> None:
    manage_tenants = manage(ctx)
    current = done(manage_tenants.schedules(name)).settings.paused
    chosen = {SyncKind(kind.value) for kind in (kinds or list(Scheduled))}
    paused = set(current) | chosen if pause else set(current) - chosen
    schedules = done(manage_tenants.change_schedules(name, {"paused": sorted(kind.value for kind in paused)}))
    LiteralConsole().print(_table([schedules]))


@commands.command("pause")
def pause(ctx: typer.Context, name: Name, kinds: Kinds = None) -> None:
    """Keep these schedules but stop them firing (every kind when none is named)."""
    _paused(ctx, name, kinds, pause=True)


@commands.command("resume")
def resume(ctx: typer.Context, name: Name, kinds: Kinds = None) -> None:
    """Let paused schedules fire again (every kind when none is named)."""
    _paused(ctx, name, kinds, pause=False)


@commands.command("trigger")
def trigger(ctx: typer.Context, name: Name, kind: Annotated[Scheduled, typer.Argument(help=_KIND_HELP)]) -> None:
    """Run one kind for a tenant now, on the workers (after what the tenant already has queued). While a run of
    that tenant and kind is queued or running, anywhere, it is that run's id that is printed."""
    from app.runtime.client import enqueue_session

    typer.echo(enqueue_session(_application(ctx), name, SyncKind(kind.value)))


@commands.command("backfill")
def backfill(
    ctx: typer.Context,
    name: Name,
    kind: Annotated[Scheduled, typer.Argument(help=_KIND_HELP)],
    since: Annotated[
        datetime,
        typer.Option(help="The runs the schedule named after this time (in UTC unless it names a zone), up to now."),
    ],
) -> None:
    """Start the runs one kind's schedule named since a time and that did not run (a worker was down, say): each
    due time runs once, whether the tick, an earlier backfill or this one started it. Prints their ids."""
    from app.runtime.client import enqueue_due
    from app.runtime.due import due_times

    application = _application(ctx)
    tenant = application.tenants().settings(name)
    cron = tenant.schedules.schedule().crons().get(SyncKind(kind.value))
    if cron is None:
        raise ConfigurationError(f"tenant {name!r} has no {kind.value} schedule (wlc schedules set)")
    after = since if since.tzinfo is not None else since.replace(tzinfo=UTC)
    now = application.clock().now()
    due = list(due_times(cron, tenant.zone, after - timedelta(microseconds=1), now))
    for run_id in enqueue_due(application, name, SyncKind(kind.value), due):
        typer.echo(run_id)
    typer.echo(f"{len(due)} runs of {kind.value} for {name} since {after.isoformat()}", err=True)


_KIND_HELP = "membership, transcripts or reconcile."


def _application(ctx: typer.Context) -> Application:
    from app.application import build_application

    return build_application(CliContext.of(ctx).config_file)
