"""The harness's sandbox process: where the tests may raise its priority, its server runs ahead of the workers."""

from __future__ import annotations

import operator
import os
from pathlib import Path

import pytest

from sandbox.config import SandboxConfig
from tests.sandbox_process import SANDBOX_NICENESS, SandboxProcess


def _niceness(thread_id: int) -> int:
    """The scheduling niceness of the thread ``thread_id``, read from ``/proc`` (field 19 of its stat)."""
    (stat,) = Path("/proc").glob(f"*/task/{thread_id}/stat")
    return int(stat.read_text().rsplit(")", 1)[1].split()[16])


def test_the_sandboxs_server_thread_runs_ahead_of_the_workers_where_priority_can_be_raised() -> None:
    if os.geteuid() != 0:
        pytest.skip("the tests do not run as root here: the sandbox keeps the workers' priority")
    with SandboxProcess(SandboxConfig, workers=4) as sandbox:
        server_thread = sandbox.apply(operator.attrgetter("_thread.native_id"))
        assert _niceness(server_thread) == SANDBOX_NICENESS
    assert os.nice(0) == 0  # this process, the workers' parent, kept its own
