"""What each contract suite needs to know of the implementation under test, and how to reach a real tenant.

A real tenant is tested when ``WLC_CONTRACT_CONFIG`` names a wlc.toml (and ``WLC_CONTRACT_TENANT`` one of its
tenants, if it has several). Only reading tests run there: a contract suite never changes a real tenant."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.container import TenantContainer, build_container
from domain.ports.member_registry import MemberRegistry
from domain.ports.worker_directory import WorkerDirectory
from domain.workers import ReportEntry

NO_TENANT = "no real tenant configured: set WLC_CONTRACT_CONFIG (and WLC_CONTRACT_TENANT) to run this suite against one"


def tenant_container() -> TenantContainer:
    config = os.environ.get("WLC_CONTRACT_CONFIG")
    if not config:
        pytest.skip(NO_TENANT)
    return build_container(Path(config), os.environ.get("WLC_CONTRACT_TENANT"))


@dataclass
class DirectoryUnderTest:
    directory: WorkerDirectory
    expected: list[ReportEntry] | None
    """The entries the report holds, where the test knows them."""
    cut_short: Callable[[int], None] | None
    """Makes the next read stop after that many rows, where the implementation can be made to."""


@dataclass
class RegistryUnderTest:
    registry: MemberRegistry
    writable: bool
    """False for a real provider organisation: the suite only reads it."""
