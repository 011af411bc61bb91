"""The application layer's errors, and the CLI's exit codes.

AppError
├── ConfigurationError   settings are missing or invalid, or a command was misused (exit 2)
├── PlanBlocked          the removal guard blocked a plan and --force was not given (exit 3)
└── PlanNotDecidable     a blocked plan cannot be approved or rejected: unknown, decided or stale (exit 2)

Failures of external systems arrive as ``domain.errors.PortUnavailable`` subclasses; the CLI reports them
and exits 1, as it does when some actions of a run failed.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    DONE = 0
    SOME_FAILED = 1
    USAGE = 2
    CANNOT_CONNECT = 2
    """``wlc workday check``: credentials refused, a host unreachable, a WSDL not loaded (the code of USAGE)."""
    BLOCKED = 3


class AppError(Exception):
    exit_code: ExitCode = ExitCode.SOME_FAILED


class ConfigurationError(AppError):
    """Raised when settings are missing or invalid; the message says what to set and where."""

    exit_code = ExitCode.USAGE


class PlanBlocked(AppError):
    """Raised when the removal guard blocked a plan and the operator did not force it."""

    exit_code = ExitCode.BLOCKED


class PlanNotDecidable(AppError):
    """Raised when an operator approves or rejects a run that holds no blocked plan to decide: unknown, not a
    membership run, already approved or rejected, or stale (a later membership run exists)."""

    exit_code = ExitCode.USAGE
