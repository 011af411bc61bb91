"""A worker cut off from the database mid-session (``cut_off.py``): its tenant's session moves to the other worker
after the timeout, Workday ends exact, and the worker, back, sends nothing its taker sent. PostgreSQL only
(skipped where none answers); a database per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.cut_off import cut_off_world, run_cut_off

pytestmark = pytest.mark.postgres


def test_a_worker_cut_off_holding_its_ledger_rows_is_taken_over_and_sends_nothing_its_taker_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with cut_off_world(120, tmp_path, monkeypatch) as world:
        run_cut_off(world, tmp_path)


@pytest.mark.soak
def test_workers_cut_off_again_and_again_are_taken_over_and_send_nothing_their_takers_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same cut, in five worlds of their own over a larger backlog: each must pass, none be retried."""
    figures = []
    for round_ in range(5):
        scratch = tmp_path / f"round-{round_}"
        scratch.mkdir()
        with cut_off_world(400, scratch, monkeypatch) as world:
            figures.append(run_cut_off(world, scratch))
    print(f"\ncut off {len(figures)} times: taken over after {[round(f.to_takeover, 1) for f in figures]} s")
