"""The soak (``make soak``, deselected from ``make test``): a transcript sync killed with SIGKILL at a dozen
points chosen by progress, and the HTTP API under a burst of 10,000 completion posts. The kill points are drawn
from a seed printed at the start; ``WLC_SOAK_SEED`` replays one."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from sandbox.config import SandboxConfig
from tests.reliability.kills import kill_and_restart
from tests.reliability.load import burst_then_deliver

pytestmark = pytest.mark.soak


def test_a_sync_killed_at_a_dozen_random_points_and_run_again_ends_exact(tmp_path: Path) -> None:
    seed = int(os.environ.get("WLC_SOAK_SEED") or random.SystemRandom().randrange(2**32))
    config = SandboxConfig(workers=2000, seed=seed % 1000, completions=3000, soap_rate_limit=None, seed_lumiq=False)
    kill_and_restart(tmp_path, config, kills=12, seed=seed)


def test_a_burst_of_ten_thousand_completion_posts_is_accepted_answered_and_delivered(tmp_path: Path) -> None:
    burst_then_deliver(tmp_path, total=10_000, distinct=2_500)
