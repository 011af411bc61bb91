"""What an idle worker's engine wakes for: the settings the engine takes, and the internals of the pinned DBOS it
has no setting for (``engine._quieten``), which these tests find where that version keeps them."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from dbos import DBOS
from dbos import _workflow_commands as workflow_commands

from app.application import build_application
from app.runtime.engine import BACKGROUND_JOBS_SECONDS, NOTIFICATION_COALESCE_SECONDS, _quieten, engine_config
from app.settings import RuntimeSettings, Settings


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DBOS]:
    monkeypatch.setattr(workflow_commands, "_BACKGROUND_JOBS_INTERVAL_SEC", 1.0)  # DBOS's own, put back after
    made = DBOS(config={"name": "wlc-idle-test", "system_database_url": f"sqlite:///{tmp_path / 'engine.sqlite3'}"})
    internal = made._registry.get_internal_queue()
    polling = internal._polling_interval_sec
    try:
        yield made
    finally:
        internal._polling_interval_sec = polling
        DBOS.destroy()


def test_an_idle_engine_polls_its_internal_queue_as_often_as_the_ticks_queue(engine: DBOS) -> None:
    _quieten(engine, RuntimeSettings(tick_seconds=5, queue_polling_seconds=1.0))

    assert engine._registry.get_internal_queue()._polling_interval_sec == 5.0


def test_an_idle_engine_runs_its_background_jobs_every_few_seconds_not_every_second(engine: DBOS) -> None:
    _quieten(engine, RuntimeSettings())

    assert workflow_commands._BACKGROUND_JOBS_INTERVAL_SEC == BACKGROUND_JOBS_SECONDS
    assert 1.0 < BACKGROUND_JOBS_SECONDS < 5.0  # under the idle timeout DBOS sets on the jobs' lock


def test_the_engine_sends_its_notifications_once_a_second_not_every_ten_milliseconds(tmp_path: Path) -> None:
    settings = Settings.model_validate({"ledger_url": f"sqlite:///{tmp_path / 'ledger.sqlite3'}"})

    config = engine_config(build_application(settings=settings), "w1")

    assert config.get("notification_coalesce_sec") == NOTIFICATION_COALESCE_SECONDS == 1.0
