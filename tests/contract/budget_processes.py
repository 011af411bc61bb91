"""A process taking slots of one tenant's budget, for the cross-process suite: started with ``multiprocessing``'s
spawn, so it shares nothing with the test but the store."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Protocol

from adapters.budget import Priority, Slot, TenantBudget
from tests.contract.budget_fixtures import open_store


class Flag(Protocol):
    def set(self) -> None: ...
    def is_set(self) -> bool: ...
    def wait(self, timeout: float | None = None) -> bool: ...


def background(
    url: str | None, tenant: str, rate: int, threads: int, started: Flag, stop: Flag, after_stop: int, out: str
) -> None:
    """``threads`` threads take slots back to back, as a worker's session does with a backlog, until ``stop`` is set
    and each has taken ``after_stop`` more; ``started`` is set at the first slot."""
    budget = TenantBudget(open_store(url), tenant, rate, Priority.BACKGROUND)
    taken: list[Slot] = []
    record = threading.Lock()

    def work() -> None:
        left = after_stop
        while left:
            slot = budget.take()
            with record:
                taken.append(slot)
            started.set()
            if stop.is_set():
                left -= 1

    _run([threading.Thread(target=work) for _ in range(threads)])
    _write(out, Priority.BACKGROUND, taken)


def interactive(url: str | None, tenant: str, rate: int, go: Flag, count: int, out: str) -> None:
    """Once ``go`` is set, takes ``count`` slots back to back, as an upsert's requests go, then stops."""
    budget = TenantBudget(open_store(url), tenant, rate, Priority.INTERACTIVE)
    go.wait(timeout=120)
    _write(out, Priority.INTERACTIVE, [budget.take() for _ in range(count)])


def _run(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _write(out: str, priority: Priority, taken: list[Slot]) -> None:
    Path(out).write_text(json.dumps([[priority.value, s.asked, s.at, s.send_by] for s in taken]), encoding="utf-8")


def read(out: Path) -> list[tuple[Priority, Slot]]:
    taken = json.loads(out.read_text(encoding="utf-8"))
    return [(Priority(p), Slot(asked, at, send_by)) for p, asked, at, send_by in taken]
