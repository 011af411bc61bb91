"""``wlc transcripts``: passed completions to Workday Learning as imported content and records."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Literal

import typer
from pydantic import TypeAdapter
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TimeRemainingColumn
from rich.table import Table

from app.cli import render
from app.cli.context import CliContext
from app.cli.terminal import LiteralConsole, LiteralTextColumn, literal
from app.errors import ConfigurationError, ExitCode
from app.use_cases.transcripts import GatheredTranscripts, Planned, TranscriptSyncResult
from app.use_cases.transcripts import Progress as Advance
from domain.runs import ActionRecord, RunOutcome
from domain.transcripts import TranscriptPlan

commands = typer.Typer(help="Transcript sync: passed completions to Workday Learning, exactly once.")

_PLAN = TypeAdapter(TranscriptPlan)
_DateOption = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="YYYY-MM-DD.")]


@commands.command("plan")
def plan(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole plan as JSON.")] = False,
    since: _DateOption = None,
    limit: Annotated[int, typer.Option(help="Rows of each sheet to show.")] = 10,
) -> None:
    """What the next sync would send: imported content, imported records, and completions held back."""
    container = CliContext.of(ctx).container()
    try:
        gathered = container.plan_transcripts()(since.date() if since else None)
    finally:
        container.shutdown_resources()
    console = LiteralConsole()
    if as_json:
        console.print_json(json.dumps(_PLAN.dump_python(gathered.plan, mode="json")))
    else:
        show_plan(console, gathered, limit)


@commands.command("sync")
def sync(ctx: typer.Context, since: _DateOption = None) -> None:
    """Send what is not yet in Workday, within the tenant's rate limit. A second run sends nothing."""
    container = CliContext.of(ctx).container()
    try:
        result = _deliver(
            lambda progress, planned: container.sync_transcripts()(since.date() if since else None, progress, planned)
        )
    finally:
        container.shutdown_resources()
    _finish(result)


@commands.command("replay")
def replay(
    ctx: typer.Context,
    start: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First completion date.")],
    end: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last completion date.")],
) -> None:
    """Send again, as upserts, every record completed in the range (after a restore on Workday's side)."""
    if end < start:
        raise ConfigurationError("--to is before --from")
    container = CliContext.of(ctx).container()
    try:
        result = _deliver(
            lambda progress, planned: container.sync_transcripts().replay(start.date(), end.date(), progress, planned)
        )
    finally:
        container.shutdown_resources()
    _finish(result)


@commands.command("export")
def export(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The .xlsx file to write.")],
    fmt: Annotated[Literal["eib"], typer.Option("--format", help="eib: the two EIB sheets of the seed.")] = "eib",
    since: _DateOption = None,
) -> None:
    """Write every passed completion as the two EIB sheets, for customers who load history by EIB."""
    from adapters.eib import write_eib_workbook

    container = CliContext.of(ctx).container()
    try:
        gathered = container.plan_transcripts().replay(since.date() if since else date.min, date.max)
    finally:
        container.shutdown_resources()
    write_eib_workbook(path, gathered.plan.contents, gathered.plan.records)
    LiteralConsole().print(
        f"Wrote {path} ({fmt.upper()}): {len(gathered.plan.contents)} imported content rows, "
        f"{len(gathered.plan.records)} imported record rows, {len(gathered.plan.held_back)} completions held back."
    )


def show_plan(console: Console, gathered: GatheredTranscripts, limit: int) -> None:
    the_plan = gathered.plan
    contents = Table(title=f"Put Learning Imported Content ({len(the_plan.contents)})")
    for column in ("Spreadsheet Key", "ID", "Title", "Description"):
        contents.add_column(column)
    for row in the_plan.contents[:limit]:
        contents.add_row(str(row.spreadsheet_key), row.id, row.title, row.description)
    records = Table(title=f"Put Learning Imported Record ({len(the_plan.records)})")
    for column in ("Spreadsheet Key", "ID", "Learner Employee ID", "Content", "Completion Date", "Grade", "Inactive"):
        records.add_column(column)
    for rec in the_plan.records[:limit]:
        records.add_row(
            str(rec.spreadsheet_key),
            rec.id,
            rec.learner_employee_id,
            rec.content_id,
            rec.completion_date.isoformat(),
            rec.grade,
            "yes" if rec.inactive else "",
        )
    console.print(contents, records)
    for held in the_plan.held_back[:limit]:
        console.print(literal("held back", "yellow"), f"{held.completion_id}: {held.reason}")
    console.print(
        f"{gathered.completions} completions read: {len(the_plan.contents)} content and {len(the_plan.records)} "
        f"records to send, {len(the_plan.held_back)} held back, {the_plan.not_sent} need nothing."
    )


def _deliver(run: Callable[[Advance, Planned], TranscriptSyncResult]) -> TranscriptSyncResult:
    console = LiteralConsole()
    with Progress(
        LiteralTextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(show_speed=True),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("planning", total=None)

        def planned(gathered: GatheredTranscripts) -> None:
            total = len(gathered.plan.contents) + len(gathered.plan.records)
            progress.update(task, total=total, description="delivering")

        def advance(_: ActionRecord) -> None:
            progress.advance(task)

        return run(advance, planned)


def _finish(result: TranscriptSyncResult) -> None:
    console = LiteralConsole()
    render.show_failures(console, result.failures)
    counts = result.run.counts
    if counts.get("completions") == 0:
        console.print(f"Run {result.run.id} {result.outcome}: {result.run.message}.", soft_wrap=True)
        raise typer.Exit(ExitCode.DONE)
    console.print(
        f"Run {result.run.id} {result.outcome}: {counts.get('content_sent', 0)} content and "
        f"{counts.get('records_sent', 0)} records delivered, {counts.get('rejected', 0)} rejected by Workday, "
        f"{counts.get('failed', 0)} to retry, {counts.get('held_back', 0)} held back. {result.run.message}".rstrip()
    )
    raise typer.Exit(ExitCode.DONE if result.outcome is RunOutcome.SUCCEEDED else ExitCode.SOME_FAILED)
