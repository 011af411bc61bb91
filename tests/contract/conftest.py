from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer

CONTRACT_POPULATION = SandboxConfig(workers=600, seed=11)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxServer]:
    """One sandbox for the contract suites; tests that change its faults or members put them back."""
    with SandboxServer(CONTRACT_POPULATION) as server:
        yield server


@pytest.fixture
def fresh_sandbox() -> Iterator[SandboxServer]:
    """A sandbox of its own, for tests that change the provider's members."""
    with SandboxServer(SandboxConfig(workers=40, seed=5)) as server:
        yield server
