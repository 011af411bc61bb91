from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from app.application import Application
    from app.container import TenantContainer


@dataclass
class CliContext:
    """What the global options chose; the application is built on first use, so ``--help`` stays fast."""

    config_file: Path | None
    tenant: str | None
    _application: Application | None = None

    def application(self) -> Application:
        if self._application is None:
            from app.application import build_application

            self._application = build_application(self.config_file)
        return self._application

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
