"""How plans, runs and results look in a terminal, and as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import TypeAdapter
from rich.console import Console
from rich.table import Table
from rich.text import Text

from app.cli.terminal import literal
from domain.membership_plan import MembershipAction, MembershipPlan
from domain.runs import ActionRecord, Run, RunOutcome

_PLAN_JSON = TypeAdapter(MembershipPlan)


def plan_as_json(plan: MembershipPlan) -> str:
    document: dict[str, Any] = _PLAN_JSON.dump_python(plan, mode="json")
    groups: tuple[tuple[str, tuple[MembershipAction, ...]], ...] = (
        ("invites", plan.invites),
        ("updates", plan.updates),
        ("removals", plan.removals),
    )
    for key, actions in groups:
        for entry, action in zip(document[key], actions, strict=True):
            entry["why"] = action.why
    document["blocked"] = plan.blocked
    document["summary"] = plan_summary(plan)
    return json.dumps(document, indent=2)


def plan_summary(plan: MembershipPlan) -> dict[str, int]:
    return {
        "report_rows": plan.report_rows,
        "current_members": plan.current_members,
        "invite": len(plan.invites),
        "update": len(plan.updates),
        "remove": len(plan.removals),
        "rejected": len(plan.rejected),
    }


def _plan_rows(plan: MembershipPlan) -> Iterable[tuple[str, str, str, str, str]]:
    for invite in plan.invites:
        w = invite.worker
        yield "invite", w.employee_id, f"{w.first_name} {w.last_name}", "", invite.why
    for update in plan.updates:
        m = update.member
        yield "update", m.employee_id or "", f"{m.first_name} {m.last_name}", m.id, update.why
    for removal in plan.removals:
        m = removal.member
        yield "remove", m.employee_id or "", f"{m.first_name} {m.last_name}", m.id, removal.why
    for row in plan.rejected:
        yield "rejected", row.employee_id or "", f"row {row.row_number}", "", f"{row.field}: {row.reason}"


def show_plan(console: Console, plan: MembershipPlan, limit: int) -> None:
    """The plan as one table, at most ``limit`` rows of each kind, then the totals and the guard's verdict."""
    table = Table(title="Membership plan", show_lines=False)
    for column in ("action", "employee id", "name / row", "member", "why"):
        table.add_column(column)
    shown: dict[str, int] = {}
    for action, employee_id, name, member, why in _plan_rows(plan):
        shown[action] = shown.get(action, 0) + 1
        if shown[action] <= limit:
            table.add_row(action, employee_id, name, member, why, style=_STYLES[action])
    console.print(table)
    hidden = {kind: n - limit for kind, n in shown.items() if n > limit}
    if hidden:
        more = ", ".join(f"{n} more {kind}" for kind, n in hidden.items())
        console.print(literal(f"({more} not shown: use --limit or --json)", "dim"))
    summary = plan_summary(plan)
    console.print(
        Text.assemble(
            f"Report: {summary['report_rows']} rows; provider: {summary['current_members']} current members. Plan: ",
            (f"{summary['invite']} to invite", _STYLES["invite"]),
            ", ",
            (f"{summary['update']} to update", _STYLES["update"]),
            ", ",
            (f"{summary['remove']} to remove", _STYLES["remove"]),
            ", ",
            (f"{summary['rejected']} rows rejected", _STYLES["rejected"]),
            ".",
        )
    )
    if plan.blocked:
        console.print(literal("Blocked by the removal guard:", "bold red"), "; ".join(plan.verdict.reasons))
        console.print("Nothing will be applied unless an operator approves the plan after checking the report.")
    elif plan.is_empty:
        console.print("Nothing to do: the provider's members match the report.")


_STYLES = {"invite": "green", "update": "cyan", "remove": "red", "rejected": "yellow"}


def membership_run(run: Run) -> str:
    """What a membership run did: the members invited, updated and removed, the actions that failed, and where
    to see each; or, when nothing was applied (blocked, failed), why."""
    if run.outcome in (RunOutcome.BLOCKED, RunOutcome.FAILED):
        said = run.message if run.message.startswith(run.outcome) else f"{run.outcome}: {run.message}"
        decide = (
            f" Once the report is checked, apply exactly this plan with 'wlc membership approve {run.id}', or reject "
            f"it with 'wlc membership reject {run.id}'."
            if run.outcome is RunOutcome.BLOCKED
            else ""
        )
        return f"Run {run.id} {said}. Nothing was applied.{decide}"
    counts = run.counts
    done = (
        f"Run {run.id} {run.outcome}: invited {counts.get('invite', 0):,}, updated {counts.get('update', 0):,}, "
        f"removed {counts.get('remove', 0):,}; {counts.get('failed', 0):,} failed."
    )
    forced = f" {run.message[:1].upper()}{run.message[1:]}." if run.message else ""
    return f"{done}{forced} Every action is in the ledger: wlc runs show {run.id}."


def show_failures(console: Console, failures: Sequence[ActionRecord], limit: int = 50) -> None:
    if not failures:
        return
    table = Table(title=f"{len(failures)} actions failed")
    for column in ("action", "subject", "error"):
        table.add_column(column)
    for record in failures[:limit]:
        table.add_row(record.kind, record.subject, record.error or "")
    console.print(table)


def show_runs(console: Console, runs: Sequence[Run]) -> None:
    table = Table(title="Runs")
    for column in ("id", "kind", "tenant", "started", "finished", "outcome", "counts"):
        table.add_column(column)
    for run in runs:
        table.add_row(
            str(run.id),
            run.kind,
            run.tenant,
            f"{run.started_at:%Y-%m-%d %H:%M:%S}",
            f"{run.finished_at:%H:%M:%S}" if run.finished_at else "",
            run.outcome,
            ", ".join(f"{k} {v}" for k, v in run.counts.items()),
        )
    console.print(table)


def show_run(console: Console, run: Run, actions: Sequence[ActionRecord], limit: int) -> None:
    show_runs(console, [run])
    if run.message:
        console.print(run.message)
    approvals = any(record.approved_by is not None for record in actions)
    table = Table(title=f"{len(actions)} actions")
    for column in ("at", "action", "subject", "why", "result", *(("approved by",) if approvals else ())):
        table.add_column(column)
    for record in actions[:limit]:
        result = record.result if record.error is None else f"{record.result}: {record.error}"
        cells = (f"{record.at:%H:%M:%S}", record.kind, record.subject, record.why, result)
        table.add_row(*cells, *((record.approved_by or "",) if approvals else ()))
    console.print(table)
    if len(actions) > limit:
        console.print(literal(f"({len(actions) - limit} more actions not shown: use --limit)", "dim"))
