from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from app.application import Application
    from app.container import TenantContainer
    from app.settings import Settings


class LogFormatChoice(StrEnum):
    JSON = "json"
    CONSOLE = "console"


class LogLevelChoice(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


@dataclass
class CliContext:
    """What the global options chose; the application is built on first use, so ``--help`` stays fast."""

    config_file: Path | None
    tenant: str | None
    log_format: str | None = None
    """``--log-format`` (or ``WLC_LOG_FORMAT``); else the settings file's ``log_format``."""
    log_level: str | None = None
    _application: Application | None = None

    def application(self) -> Application:
        if self._application is None:
            from app.application import build_application

            self._application = build_application(self.config_file)
            self.configure_logging(self._application.settings())
        return self._application

    def configure_logging(self, settings: Settings | None = None, level: int = logging.WARNING) -> None:
        """Logging in the chosen format from ``level`` up (the chosen level, if one was), and traces when they
        are configured. Before the settings are read the options decide; once they are, the file may too."""
        from app.observability.logs import configure_logging
        from app.observability.tracing import configure_tracing

        file_format = settings.log_format if settings is not None else "console"
        file_level = settings.log_level if settings is not None else None
        chosen = self.log_format or file_format
        configure_logging("json" if chosen == "json" else "console", self.log_level or file_level or level)
        if settings is not None:
            configure_tracing(settings.otlp_endpoint)

    def container(self) -> TenantContainer:
        """The container of the tenant ``--tenant`` chose (or the default one)."""
        application = self.application()
        tenants = application.tenants()
        return tenants.get(tenants.pick(self.tenant, application.settings().default_tenant))

    @staticmethod
    def of(ctx: typer.Context) -> CliContext:
        obj = ctx.find_root().obj
        assert isinstance(obj, CliContext)
        return obj
