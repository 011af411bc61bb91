"""``wlc reconcile``: the provider's completions against Workday's enrollments for a tenant, and ``--fix``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from app.cli.context import CliContext
from app.cli.terminal import LiteralConsole, literal
from app.errors import ExitCode
from app.use_cases.reconcile import Fix, ReconcileResult
from domain.completion_reconciliation import Discrepancy, Finding


def reconcile(
    ctx: typer.Context,
    course: Annotated[
        list[str] | None,
        typer.Option("--course", help="Also compare this course (its external reference); repeatable."),
    ] = None,
    all_courses: Annotated[
        bool,
        typer.Option("--all-courses", help="Compare every digital course in Workday's catalog, not only ours."),
    ] = False,
    fix: Annotated[bool, typer.Option("--fix", help="Correct what is found: push or rescind.")] = False,
) -> None:
    """Compare the provider's completions with Workday's records: what is missing, what differs, what is extra,
    what Workday auto-completed on launch that the provider never completed, and what Workday refused for good
    (left for you: push it again once its cause is fixed). A dry run unless --fix."""
    container = CliContext.of(ctx).container()
    try:
        result = container.reconcile()(course or (), all_courses=all_courses, fix=fix)
    finally:
        container.shutdown_resources()
    console = LiteralConsole()
    for reference in result.unknown_courses:
        console.print(f"No course in Workday has the external reference {reference!r}.", soft_wrap=True)
    _print(console, result, fix)
    if result.failed:
        raise typer.Exit(ExitCode.SOME_FAILED)


def _print(console: Console, result: ReconcileResult, fixed: bool) -> None:
    found = result.reconciliation
    if found.discrepancies:
        table = Table("finding", "learner", "course", "provider", "Workday", "fix" if fixed else "would")
        outcomes = {id(f.discrepancy): f for f in result.fixes}
        for d in found.discrepancies:
            table.add_row(
                d.finding.value,
                d.learner_id,
                d.course_reference,
                _provider(d),
                _workday(d),
                _outcome(d, outcomes.get(id(d))) if fixed else _would(d),
            )
        console.print(table)
        for finding in Finding:
            if found.count(finding):
                console.print(f"  {finding.value}: {finding.meaning}")
        for d in found.discrepancies:
            if d.refusal is not None:
                when = f" {d.refusal.settled_at:%Y-%m-%d %H:%M} UTC" if d.refusal.settled_at is not None else ""
                reason = d.refusal.note or "no reason given"
                console.print(
                    f"  refused{when}: learner {d.learner_id}, course {d.course_reference}: {reason}", soft_wrap=True
                )
    counts = ", ".join(f"{found.count(f)} {f.value}" for f in Finding)
    console.print(
        f"Compared {len(result.courses)} course(s): {found.matched} completion(s) match, "
        f"{found.in_flight} still on their way to Workday; {counts}.",
        soft_wrap=True,
    )
    refused = found.count(Finding.REFUSED)
    left = (
        f" {refused} completion(s) Workday refused are left alone: fix the cause, then send each again with "
        "'wlc completions push'."
        if refused
        else ""
    )
    if not found.discrepancies:
        console.print("Workday and the provider agree.")
    elif fixed:
        failed = len(result.failed)
        console.print(f"Corrected {len(result.fixes) - failed}; {failed} could not be corrected.{left}", soft_wrap=True)
    elif found.to_fix:
        console.print(f"Nothing was changed. Run again with --fix to correct them.{left}", soft_wrap=True)
    else:
        console.print(f"Nothing for --fix to correct.{left}", soft_wrap=True)
    if result.run_id is not None:
        console.print(f"Recorded as run {result.run_id}: wlc runs show {result.run_id}", soft_wrap=True)


def _provider(d: Discrepancy) -> str:
    if d.completion is None:
        return "-"
    return f"{d.completion.result.value} {d.completion.completed_at:%Y-%m-%d}"


def _workday(d: Discrepancy) -> str:
    if d.enrollment is None:
        return "-"
    result = d.enrollment.result.value if d.enrollment.result is not None else "completed"
    when = f" {d.enrollment.completed_at:%Y-%m-%d}" if d.enrollment.completed_at is not None else ""
    return f"{result}{when} ({d.enrollment.workday_id})"


def _would(d: Discrepancy) -> str:
    return d.finding.fix or "left alone"


def _outcome(d: Discrepancy, fix: Fix | None) -> str | Text:
    if fix is None:
        return "-" if d.finding.fix is not None else "left alone"
    if fix.error is None:
        return f"{d.finding.fix}ed"
    return Text.assemble(literal("failed", "red"), ": ", literal(fix.error))
