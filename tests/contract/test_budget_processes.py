"""Three processes on one tenant's budget, through each store several processes can share: two workers saturate
it in the background, and an interactive caller comes in meanwhile. Whatever the processes' speed, the slots they
were granted keep to the limit in every second, and the interactive caller is never behind more than one
background slot."""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.budget import Pace, Priority, Slot
from adapters.budget.rule import MICROS
from tests.contract import budget_processes
from tests.contract.budget_fixtures import SHARED_STORES, a_tenant, budget_url
from tests.fake_time import most_starts_in_one_window

RATE = 20
INTERACTIVE_SLOTS = 8


@pytest.fixture(params=SHARED_STORES)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    with budget_url(request.param, tmp_path) as url:
        yield url


def test_processes_sharing_a_budget_keep_to_the_limit_and_interactive_goes_first(
    url: str | None, tmp_path: Path
) -> None:
    spawn = multiprocessing.get_context("spawn")
    tenant = a_tenant()
    started = [spawn.Event(), spawn.Event()]
    go, stop = spawn.Event(), spawn.Event()
    outs = [tmp_path / f"{name}.json" for name in ("worker-1", "worker-2", "api")]
    workers = [
        spawn.Process(target=budget_processes.background, args=(url, tenant, RATE, 3, flag, stop, 3, str(out)))
        for flag, out in zip(started, outs, strict=False)
    ]
    api = spawn.Process(
        target=budget_processes.interactive, args=(url, tenant, RATE, go, INTERACTIVE_SLOTS, str(outs[2]))
    )
    for process in [*workers, api]:
        process.start()
    try:
        for flag in started:
            assert flag.wait(timeout=120), "a worker process took no slot"
        go.set()
        api.join(timeout=120)
        stop.set()
        for process in workers:
            process.join(timeout=120)
        assert [p.exitcode for p in [*workers, api]] == [0, 0, 0]
    finally:
        for process in [*workers, api]:
            if process.is_alive():
                process.kill()

    taken = [slot for out in outs for slot in budget_processes.read(out)]
    pace = Pace.of(RATE)
    slots = sorted(s.at for _, s in taken)
    assert most_starts_in_one_window(slots, MICROS) <= RATE
    assert all(later - earlier >= pace.gap for earlier, later in itertools.pairwise(slots))
    assert_interactive_went_first(taken, pace)


def assert_interactive_went_first(taken: list[tuple[Priority, Slot]], pace: Pace) -> None:
    interactive = [s for p, s in taken if p is Priority.INTERACTIVE]
    background = [s.at for p, s in taken if p is Priority.BACKGROUND]
    assert len(interactive) == INTERACTIVE_SLOTS
    for slot in interactive:
        assert len([b for b in background if slot.asked < b < slot.at]) <= 1, "more than one background slot ahead"
        assert not [b for b in background if slot.at <= b < slot.at + pace.window], "background during the hold"
    assert [b for b in background if b >= interactive[-1].at + pace.window], "background never took the budget back"
    assert [b for b in background if b < interactive[0].asked], "the workers were not saturating it before"
