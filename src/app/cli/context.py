from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from app.container import Container


@dataclass
class CliContext:
    """What the global options chose; the container is built on first use, so ``--help`` stays fast."""

    config_file: Path | None
    tenant: str | None
    _container: Container | None = None

    def container(self) -> Container:
        if self._container is None:
            from app.container import build_container

            self._container = build_container(self.config_file, self.tenant)
        return self._container

    @staticmethod
    def of(ctx: typer.Context) -> CliContext:
        obj = ctx.find_root().obj
        assert isinstance(obj, CliContext)
        return obj
