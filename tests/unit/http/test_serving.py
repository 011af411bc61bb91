"""``wlc serve`` and its ``wlc deliver``: the delivery process is a background caller of each tenant's one budget,
and stops when asked or when its parent is gone."""

import threading
from pathlib import Path

from adapters.budget import Pace, Priority
from app.application import build_application
from app.http.serving import deliver_until, delivery_application, parent_gone
from app.sandbox_settings import sandbox_settings
from sandbox.config import SandboxConfig


def test_the_delivery_process_takes_each_tenants_budget_after_the_api(tmp_path: Path) -> None:
    settings = sandbox_settings("http://127.0.0.1:9", SandboxConfig(), f"sqlite:///{tmp_path / 'l.db'}")

    delivering = delivery_application(settings).tenants().get("sandbox").rate_limiter()
    answering = build_application(settings=settings).tenants().get("sandbox").rate_limiter()

    assert (delivering.priority, answering.priority) == (Priority.BACKGROUND, Priority.INTERACTIVE)
    assert delivering.pace == answering.pace == Pace.of(settings.tenants["sandbox"].learning.rate_limit)


def test_the_parent_is_gone_once_the_process_has_another() -> None:
    parents = iter([40, 40, 1])
    gone = parent_gone(40, getppid=lambda: next(parents))

    assert [gone(), gone(), gone()] == [False, False, True]


def test_delivery_runs_until_it_is_done_then_stops_its_threads(tmp_path: Path) -> None:
    settings = sandbox_settings("http://127.0.0.1:9", SandboxConfig(), f"sqlite:///{tmp_path / 'l.db'}")
    asked: list[int] = []
    running: list[bool] = []

    def done() -> bool:
        asked.append(1)
        running.append(any(t.name.startswith("completion-outbox") for t in threading.enumerate()))
        return len(asked) == 3

    deliver_until(done, settings, every=0)

    assert running == [True, True, True]
    assert not any(t.name.startswith("completion-outbox") for t in threading.enumerate())
