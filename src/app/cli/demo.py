"""``wlc demo``: the main job end to end against an in-process Workday sandbox, told in plain words."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from app.cli import render
from app.errors import ExitCode


def demo(
    workers: Annotated[int, typer.Option(help="Rows in the sandbox's worker report.")] = 5000,
    seed: Annotated[int, typer.Option(help="Seed of the generated population.")] = 7,
) -> None:
    """Start a Workday sandbox, plan a membership sync, apply it, plan again, and show the removal guard."""
    from app.container import build_container
    from app.sandbox_settings import sandbox_settings
    from sandbox.config import SandboxConfig
    from sandbox.server import SandboxServer

    console = Console()
    config = SandboxConfig(workers=workers, seed=seed)
    with tempfile.TemporaryDirectory(prefix="wlc-demo-") as scratch, SandboxServer(config) as sandbox:
        ledger_url = f"sqlite:///{Path(scratch) / 'ledger.sqlite3'}"
        container = build_container(settings=sandbox_settings(sandbox.base_url, config, ledger_url))
        seats = sum(1 for m in sandbox.lumiq.members() if m.status != "removed")
        console.rule("1. The setting")
        console.print(
            f"A Workday sandbox is running at {sandbox.base_url}: tenant '{config.tenant}' with a RaaS worker report "
            f"of {workers:,} rows, an OAuth2 token endpoint, and the LumiQ organisation's API with {seats:,} members "
            "holding a seat."
        )

        console.rule("2. Plan: what a sync would change (nothing is changed yet)")
        plan = container.plan_membership()()
        render.show_plan(console, plan, limit=4)

        console.rule("3. Sync: apply the plan")
        result = container.sync_membership()()
        render.show_failures(console, result.failures)
        counts = result.run.counts
        console.print(
            f"Run {result.run.id} {result.outcome}: invited {counts.get('invite', 0):,}, updated "
            f"{counts.get('update', 0):,}, removed {counts.get('remove', 0):,}; {counts.get('failed', 0)} failed. "
            "Every action is in the ledger ('wlc runs show')."
        )
        seats = sum(1 for m in sandbox.lumiq.members() if m.status != "removed")
        console.print(f"LumiQ now has {seats:,} members holding a seat.")

        console.rule("4. Plan again: nothing should be left to do")
        again = container.plan_membership()()
        if again.is_empty:
            console.print(
                f"Nothing left to do. The {len(again.rejected)} rejected report rows are still reported, "
                "each with its row and field, until they are fixed in Workday."
            )
        else:
            render.show_plan(console, again, limit=4)

        console.rule("5. The removal guard: a truncated report")
        sandbox.faults.report_rows_override = max(1, workers // 10)
        blocked = container.sync_membership()()
        console.print(
            f"The sandbox now serves only {sandbox.faults.report_rows_override:,} of the {workers:,} rows, as a "
            f"report cut short would. Run {blocked.run.id} {blocked.outcome}: {blocked.run.message}. "
            "No member was removed."
        )
        container.shutdown_resources()

    ok = result.outcome.value == "succeeded" and again.is_empty and blocked.outcome.value == "blocked"
    console.rule("Done" if ok else "Something did not go as expected")
    raise typer.Exit(ExitCode.DONE if ok else ExitCode.SOME_FAILED)
