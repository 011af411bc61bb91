"""``wlc membership``: plan and apply membership sync."""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Annotated

import typer
from returns.result import Failure, Success
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from app.cli import render
from app.cli.context import CliContext
from app.cli.terminal import LiteralConsole, LiteralTextColumn
from app.errors import ConfigurationError, ExitCode, PlanNotDecidable
from domain.runs import ActionRecord, RunOutcome

if TYPE_CHECKING:
    from app.container import TenantContainer

commands = typer.Typer(help="Membership sync: the Workday report's workers against the provider's members.")


@commands.command("plan")
def plan(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole plan as JSON.")] = False,
    limit: Annotated[int, typer.Option(help="Rows of each kind to show in the table.")] = 20,
) -> None:
    """Show what a sync would do (invite, update, remove, rejected rows, each with its reason). Changes nothing."""
    container = CliContext.of(ctx).container()
    try:
        the_plan = container.plan_membership()()
    finally:
        container.shutdown_resources()
    console = LiteralConsole()
    if as_json:
        console.print_json(render.plan_as_json(the_plan))
    else:
        render.show_plan(console, the_plan, limit)


@commands.command("sync")
def sync(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option("--force", help="Apply a plan the removal guard blocked.")] = False,
    limit: Annotated[int, typer.Option(help="Rows of each kind to show in the plan table.")] = 20,
) -> None:
    """Plan, show the plan, and apply it. A plan blocked by the removal guard is refused unless --force."""
    console = LiteralConsole()
    container = CliContext.of(ctx).container()
    try:
        with _progress(console) as progress:
            task = progress.add_task("applying", total=None)

            def advance(record: ActionRecord) -> None:
                progress.update(task, advance=1, description=f"{record.kind} {record.subject}"[:40])

            result = container.sync_membership()(force=force, progress=advance)
    finally:
        container.shutdown_resources()
    if result.plan is not None:
        render.show_plan(console, result.plan, limit)
    render.show_failures(console, result.failures)
    console.print(render.membership_run(result.run), soft_wrap=True)
    raise typer.Exit(_EXIT[result.outcome])


def _operator(by: str | None) -> str:
    """Who decides: ``--by``, or the user the command runs as."""
    if by is None:
        try:
            by = getpass.getuser()
        except (OSError, KeyError):
            raise ConfigurationError(
                "cannot tell which user runs this command: say who decides with --by NAME"
            ) from None
    name = by.strip()
    if not name or len(name) > 200:
        raise ConfigurationError(f"--by {by!r}: give the operator's name, 1 to 200 characters")
    return name


def _container_of_run(ctx: typer.Context, run_id: int) -> TenantContainer:
    """The container of ``--tenant`` when given, else of the tenant whose run it is (else the default tenant's,
    whose use case then says the run is unknown)."""
    context = CliContext.of(ctx)
    if context.tenant is None:
        application = context.application()
        run = application.sync_ledger().run(run_id)
        if run is not None and run.tenant in application.tenants():
            return application.tenants().get(run.tenant)
    return context.container()


_BY_HELP = "Who decides, as the ledger records it (default: the user running the command)."


@commands.command("approve")
def approve(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="The blocked run, from 'wlc runs list'.")],
    by: Annotated[str | None, typer.Option("--by", help=_BY_HELP)] = None,
) -> None:
    """Apply exactly the plan the removal guard blocked in RUN (not a fresh one), recorded as approved by you.
    Refused when RUN is not the tenant's latest membership run, or was already approved or rejected."""
    operator = _operator(by)
    console = LiteralConsole()
    container = _container_of_run(ctx, run_id)
    try:
        with _progress(console) as progress:
            task = progress.add_task("applying", total=None)

            def advance(record: ActionRecord) -> None:
                progress.update(task, advance=1, description=f"{record.kind} {record.subject}"[:40])

            outcome = container.approve_membership_plan()(run_id, operator, progress=advance)
    finally:
        container.shutdown_resources()
    match outcome:
        case Failure(refused):
            raise PlanNotDecidable(refused.message)
        case Success(result):
            render.show_failures(console, result.failures)
            console.print(render.membership_run(result.run), soft_wrap=True)
            raise typer.Exit(_EXIT[result.outcome])


@commands.command("reject")
def reject(
    ctx: typer.Context,
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="The blocked run, from 'wlc runs list'.")],
    by: Annotated[str | None, typer.Option("--by", help=_BY_HELP)] = None,
) -> None:
    """Mark the plan the removal guard blocked in RUN rejected: nothing of it is ever applied."""
    operator = _operator(by)
    match _container_of_run(ctx, run_id).reject_membership_plan()(run_id, operator):
        case Failure(refused):
            raise PlanNotDecidable(refused.message)
        case Success(run):
            LiteralConsole().print(f"Run {run.id}'s plan is rejected by {run.decided_by}; nothing was applied.")


_EXIT = {
    RunOutcome.SUCCEEDED: ExitCode.DONE,
    RunOutcome.PARTIAL: ExitCode.SOME_FAILED,
    RunOutcome.FAILED: ExitCode.SOME_FAILED,
    RunOutcome.BLOCKED: ExitCode.BLOCKED,
    RunOutcome.RUNNING: ExitCode.SOME_FAILED,
    RunOutcome.REJECTED: ExitCode.DONE,
}


def _progress(console: Console) -> Progress:
    return Progress(
        LiteralTextColumn("{task.description:<40}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
