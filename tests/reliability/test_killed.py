"""Crashes: a transcript sync killed with SIGKILL at three points chosen by progress, and started again each
time, ends with exactly the expected items in Workday; the ledger is whole after each kill, no run sends an item
settled before it, and only the Puts in flight at a kill go twice. Ten kills and more under ``make soak``."""

from __future__ import annotations

from pathlib import Path

from sandbox.config import SandboxConfig
from tests.reliability.kills import kill_and_restart


def test_a_sync_killed_three_times_and_run_again_ends_exact(tmp_path: Path) -> None:
    config = SandboxConfig(workers=400, seed=67, completions=400, soap_rate_limit=None, seed_lumiq=False)
    kill_and_restart(tmp_path, config, kills=3, seed=67)
