"""``wlc demo``: the main jobs end to end against an in-process Workday sandbox, told in plain words."""

from __future__ import annotations

import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from app.cli import render
from app.cli.terminal import LiteralConsole
from app.cli.transcripts import show_plan as show_transcript_plan
from app.errors import ExitCode
from domain.runs import Run, RunOutcome

if TYPE_CHECKING:
    from app.application import Application
    from app.container import TenantContainer
    from app.settings import Settings
    from sandbox.server import SandboxServer


def demo(
    workers: Annotated[int, typer.Option(help="Rows in the sandbox's worker report.")] = 5000,
    seed: Annotated[int, typer.Option(help="Seed of the generated population.")] = 7,
    completions: Annotated[int, typer.Option(help="Completions in the provider's feed.")] = 2000,
    soap_rate_limit: Annotated[int, typer.Option(help="The sandbox's Learning API limit, requests/s.")] = 200,
) -> None:
    """Start a Workday sandbox; sync membership (plan, apply, plan again, the removal guard); then sync
    transcripts over SOAP (plan, deliver within the rate limit, run again and send nothing); last, start a worker
    and watch a schedule fire by itself; end with every tenant's status and where the ops console is."""
    from app.container import build_container
    from app.sandbox_settings import sandbox_settings
    from sandbox.config import SandboxConfig
    from sandbox.server import SandboxServer

    console = LiteralConsole()
    # Workday allows 5 to 10 requests a second; the demo's sandbox allows more so that 2,000 completions take
    # seconds, not minutes. The connector keeps to whatever limit it is given.
    config = SandboxConfig(workers=workers, seed=seed, completions=completions, soap_rate_limit=soap_rate_limit)
    with tempfile.TemporaryDirectory(prefix="wlc-demo-") as scratch, SandboxServer(config) as sandbox:
        ledger_url = f"sqlite:///{Path(scratch) / 'ledger.sqlite3'}"
        settings = sandbox_settings(sandbox.base_url, config, ledger_url)
        container = build_container(settings=settings)
        try:
            membership_ok = _membership(console, container, sandbox)
            transcripts_ok = _transcripts(console, container, sandbox)
        finally:
            container.shutdown_resources()
        scheduled_ok = _schedule_fires(console, settings)
    ok = membership_ok and transcripts_ok and scheduled_ok
    console.rule("Done" if ok else "Something did not go as expected")
    raise typer.Exit(ExitCode.DONE if ok else ExitCode.SOME_FAILED)


def _seats(sandbox: SandboxServer) -> int:
    return sum(1 for m in sandbox.lumiq.members() if m.status != "removed")


def _membership(console: Console, container: TenantContainer, sandbox: SandboxServer) -> bool:
    config = sandbox.config
    console.rule("1. The setting")
    console.print(
        f"A Workday sandbox is running at {sandbox.base_url}: tenant '{config.tenant}' with a RaaS worker report "
        f"of {config.workers:,} rows, an OAuth2 token endpoint, the Learning SOAP API, and the LumiQ "
        f"organisation's API with {_seats(sandbox):,} members holding a seat and {config.completions:,} completions."
    )

    console.rule("2. Plan: what a membership sync would change (nothing is changed yet)")
    render.show_plan(console, container.plan_membership()(), limit=4)

    console.rule("3. Sync: apply the plan")
    result = container.sync_membership()()
    render.show_failures(console, result.failures)
    console.print(f"{render.membership_run(result.run)} LumiQ now has {_seats(sandbox):,} members holding a seat.")

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
    sandbox.faults.report_rows_override = max(1, config.workers // 10)
    blocked = container.sync_membership()()
    sandbox.faults.report_rows_override = None
    console.print(
        f"The sandbox served only {max(1, config.workers // 10):,} of the {config.workers:,} rows, as a report cut "
        f"short would. {render.membership_run(blocked.run)}"
    )
    return result.outcome is RunOutcome.SUCCEEDED and again.is_empty and blocked.outcome is RunOutcome.BLOCKED


def _transcripts(console: Console, container: TenantContainer, sandbox: SandboxServer) -> bool:
    config = sandbox.config
    console.rule("6. Transcripts: passed completions to Workday Learning over SOAP")
    show_transcript_plan(console, container.plan_transcripts()(), limit=3)
    started = time.monotonic()
    first = container.sync_transcripts()()
    seconds = time.monotonic() - started
    counts = first.run.counts
    requests = counts["content_sent"] + counts["records_sent"] + counts["rejected"]
    console.print(
        f"Run {first.run.id} {first.outcome}: {counts['content_sent']} imported content and "
        f"{counts['records_sent']:,} imported records delivered in {seconds:.1f} s ({requests / seconds:.0f} "
        f"requests/s against a limit of {config.soap_rate_limit}/s). {counts['rejected']} were rejected by Workday "
        f"(learners it does not know), each named with Workday's message and XPath; {counts['held_back']} "
        "completions were held back (no Employee ID)."
    )
    learning = sandbox.workday_learning
    twice = sum(1 for n in learning.put_counts("record").values() if n > 1)
    console.print(
        f"Workday now holds {len(learning.records()):,} imported records; {twice} were sent more than once. The "
        f"busiest second at Workday's end held {sandbox.soap_limiter.busiest_window(config.tenant)} requests; "
        f"Workday throttled {sandbox.soap_limiter.refused(config.tenant)} (retried after Retry-After)."
    )

    console.rule("7. Transcripts again: nothing new, nothing sent")
    second = container.sync_transcripts()()
    console.print(
        f"Run {second.run.id} {second.outcome}: {second.run.counts['records_sent']} records and "
        f"{second.run.counts['content_sent']} content sent. Every delivery is in the ledger, and the feed's "
        "cursor moved past what was delivered."
    )
    return counts["failed"] == 0 and twice == 0 and second.run.counts["records_sent"] == 0


def _schedule_fires(console: Console, settings: Settings) -> bool:
    """A worker (the engine on a SQLite file beside the ledger) runs the tenant's schedules by itself: the demo sets
    transcripts every minute and a tick every second, and waits for the next minute."""
    from app.application import build_application
    from app.runtime.client import close_clients
    from app.runtime.engine import Engine
    from app.settings import RuntimeSettings
    from domain.runs import RunKind

    console.rule("8. The runtime: a schedule fires by itself")
    fast = RuntimeSettings(tick_seconds=1, queue_polling_seconds=0.1, scheduler_polling_seconds=0.5, executor_id="demo")
    application = build_application(settings=settings.model_copy(update={"runtime": fast}))
    ledger = application.sync_ledger()
    application.tenants().names  # noqa: B018 - the tenant imported into the tenants table
    application.manage_tenants().change_schedules("sandbox", {"transcripts_every_minutes": 1}).unwrap()
    before = {run.id for run in ledger.runs(tenant="sandbox", kind=RunKind.TRANSCRIPTS)}
    now = application.clock().now()
    due = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    console.print(
        f"The tenant's transcripts schedule is now every minute ('wlc schedules set sandbox transcripts 1'). A worker "
        f"starts ('wlc worker'; 'wlc serve' starts one beside the API). Nobody asks for a run: the worker's tick, "
        f"every second, finds the schedule due at {due:%H:%M:%S} UTC (in {(due - now).seconds} s) and runs it."
    )
    engine = Engine(application)
    engine.start()
    fired: list[Run] = []
    try:
        try:
            deadline = time.monotonic() + 120
            while not fired and time.monotonic() < deadline:
                fired = [r for r in ledger.runs(tenant="sandbox", kind=RunKind.TRANSCRIPTS) if r.id not in before]
                time.sleep(0.2)
            while fired and fired[0].finished_at is None and time.monotonic() < deadline:
                fired = [ledger.run(fired[0].id) or fired[0]]
                time.sleep(0.2)
        finally:
            engine.stop(timeout=30)
        if fired:
            run = fired[0]
            console.print(
                f"Run {run.id} started by itself at {run.started_at:%H:%M:%S} UTC and ended {run.outcome}: "
                f"{run.counts.get('records_sent', 0)} records sent (everything was already in Workday). Each due "
                "time runs once, whichever worker's tick finds it, and a tenant never runs two sessions at once."
            )
        else:
            console.print("No run started by itself within two minutes.")
        _operating_it(console, application)
    finally:
        close_clients()
        application.tenants().close()
    return bool(fired) and fired[0].finished_at is not None


def _operating_it(console: Console, application: Application) -> None:
    """What the people running it see: every tenant's status (as 'wlc status' prints it), and where the console
    is."""
    from app.cli.status import show_status

    console.rule("9. Operating it: each tenant's status, and the console")
    console.print("What 'wlc status' prints for this ledger (GET /admin/status answers the same as JSON):")
    show_status(console, application.tenant_status()(None))
    console.print(
        "The ops console shows the same in the browser, with each tenant's schedules (pause, resume, run now), runs, "
        "outbox and refusals, and a blocked plan to approve or reject. With your own settings: 'wlc keys create "
        f"--admin', then 'wlc serve --port {_CONSOLE_PORT}' and open http://127.0.0.1:{_CONSOLE_PORT}/console "
        "(metrics for Prometheus at /metrics)."
    )


_CONSOLE_PORT = 8080
"""'wlc serve''s default port."""
