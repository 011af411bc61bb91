"""``wlc membership``: plan and apply membership sync."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from app.cli import render
from app.cli.context import CliContext
from app.cli.terminal import LiteralConsole, LiteralTextColumn
from app.errors import ExitCode
from domain.runs import ActionRecord, RunOutcome

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


_EXIT = {
    RunOutcome.SUCCEEDED: ExitCode.DONE,
    RunOutcome.PARTIAL: ExitCode.SOME_FAILED,
    RunOutcome.FAILED: ExitCode.SOME_FAILED,
    RunOutcome.BLOCKED: ExitCode.BLOCKED,
    RunOutcome.RUNNING: ExitCode.SOME_FAILED,
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
