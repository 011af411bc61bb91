from datetime import timedelta

from fastapi.testclient import TestClient

from app.http.outbox_worker import OutboxWorker, backoff
from tests.unit.http.world import World


def test_backoff_doubles_from_five_seconds_up_to_fifteen_minutes() -> None:
    waits = [backoff(n) for n in (1, 2, 3, 4)]

    assert waits == [timedelta(seconds=s) for s in (5, 10, 20, 40)]
    assert backoff(1000) == timedelta(minutes=15)


def test_the_worker_thread_starts_with_the_app_and_stops_with_it(world: World) -> None:
    worker = OutboxWorker(world.outbox, world.app.state.deps.accounts, world.clock, idle_wait=0.01)
    world.app.state.outbox_worker = worker
    worker.start()
    assert worker.running
    worker.stop()
    assert not worker.running


def test_the_lifespan_runs_the_worker(tmp_path: object) -> None:
    from app.http import create_app

    world = World(tmp_path / "ledger.sqlite3")  # type: ignore[operator]
    app = create_app(world.app.state.deps, run_worker=True)
    with TestClient(app):
        worker = app.state.outbox_worker
        assert isinstance(worker, OutboxWorker)
        assert worker.running
    assert not worker.running
