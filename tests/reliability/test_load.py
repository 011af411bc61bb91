"""Load: the HTTP API under a burst of 1,000 completion posts (250 completions, each posted four times, as
retrying clients would), 32 in flight, keeps answering health checks and accepts every post; every accepted
completion is then delivered to Workday, once. The 10,000-post burst runs under ``make soak``
(``test_soak.py``)."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.load import burst_then_deliver


def test_a_burst_of_completion_posts_is_accepted_answered_and_delivered(tmp_path: Path) -> None:
    burst_then_deliver(tmp_path, total=1_000, distinct=250)
