"""The ``wlc`` command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli import (
    alerts,
    demo,
    keys,
    lms,
    membership,
    reconcile,
    runs,
    sandbox,
    schedules,
    secrets,
    serve,
    status,
    tenants,
    transcripts,
    views,
    workday,
    worker,
)
from app.cli.context import CliContext, LogFormatChoice, LogLevelChoice
from app.cli.failures import GuardedGroup

cli = typer.Typer(
    name="wlc",
    cls=GuardedGroup,
    help="The Workday Learning connector: keeps a learning provider and its customers' Workday tenants in step.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
cli.add_typer(membership.commands, name="membership")
cli.add_typer(transcripts.commands, name="transcripts")
cli.add_typer(workday.commands, name="workday")
lms.content_commands.command("list")(views.list_content)
lms.content_commands.command("show")(views.show_content)
lms.completion_commands.command("list")(views.list_completions)
cli.add_typer(lms.content_commands, name="content")
cli.add_typer(views.category_commands, name="categories")
cli.add_typer(views.skill_commands, name="skills")
cli.add_typer(lms.completion_commands, name="completions")
cli.command("reconcile")(reconcile.reconcile)
cli.add_typer(runs.commands, name="runs")
cli.command("status")(status.status)
cli.add_typer(alerts.commands, name="alerts")
cli.add_typer(sandbox.commands, name="sandbox")
cli.command("demo")(demo.demo)
cli.add_typer(keys.commands, name="keys")
cli.add_typer(tenants.commands, name="tenants")
cli.add_typer(schedules.commands, name="schedules")
cli.add_typer(secrets.commands, name="secrets")
cli.command("serve")(serve.serve)
cli.command("worker")(worker.worker)


@cli.callback()
def _options(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", envvar="WLC_CONFIG", help="Settings file (default: ./wlc.toml).")
    ] = None,
    tenant: Annotated[str | None, typer.Option("--tenant", "-t", help="Which configured tenant to work on.")] = None,
    log_format: Annotated[
        LogFormatChoice | None,
        typer.Option(
            "--log-format",
            envvar="WLC_LOG_FORMAT",
            help="Log records as one JSON object a line (for machines) or readable lines (default).",
        ),
    ] = None,
    log_level: Annotated[
        LogLevelChoice | None,
        typer.Option(
            "--log-level", envvar="WLC_LOG_LEVEL", help="Lowest level logged (default INFO for serve and deliver)."
        ),
    ] = None,
) -> None:
    ctx.obj = CliContext(
        config_file=config,
        tenant=tenant,
        log_format=None if log_format is None else log_format.value,
        log_level=None if log_level is None else log_level.value,
    )
    ctx.obj.configure_logging()


def main() -> None:
    cli()
