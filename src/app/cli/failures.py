"""How the CLI ends: every expected failure becomes a one-line message and its exit code."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from app.cli.terminal import LiteralConsole, literal
from app.errors import AppError, ExitCode
from domain.errors import DomainError

_stderr = LiteralConsole(stderr=True)
_ERROR = literal("error:", "bold red")


class GuardedGroup(TyperGroup):
    """The root command group: turns ``AppError`` and ``DomainError`` into a message and an exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's Context base is private (typer._click)
        try:
            return super().invoke(ctx)
        except AppError as problem:
            _stderr.print(_ERROR, str(problem), soft_wrap=True)
            raise typer.Exit(problem.exit_code) from None
        except DomainError as problem:
            _stderr.print(_ERROR, str(problem), soft_wrap=True)
            raise typer.Exit(ExitCode.SOME_FAILED) from None
