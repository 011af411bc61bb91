"""How the CLI ends: every expected failure becomes a one-line message and its exit code."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from app.errors import AppError, ExitCode
from domain.errors import DomainError

_stderr = Console(stderr=True)


def run_guarded(cli: typer.Typer) -> None:
    try:
        cli(standalone_mode=True)
    except AppError as problem:
        _stderr.print(f"[bold red]error:[/bold red] {problem}", highlight=False)
        sys.exit(problem.exit_code)
    except DomainError as problem:
        _stderr.print(f"[bold red]error:[/bold red] {problem}", highlight=False)
        sys.exit(ExitCode.SOME_FAILED)
