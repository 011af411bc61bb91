"""The sync ledger contract (``domain.ports.sync_ledger.SyncLedger``), run against every implementation: the
in-memory fake, the SQL ledger on a SQLite file and the SQL ledger on PostgreSQL (``WLC_TEST_POSTGRES_URL``,
skipped when no server answers). The tests after the contract hold for the SQL ledger alone."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from adapters.fakes import InMemorySyncLedger
from adapters.storage import LedgerStorageError, SqlSyncLedger, create_engine_for, create_schema
from domain.errors import LedgerUnavailable
from domain.ports.sync_ledger import SyncLedger
from domain.runs import ActionRecord, ActionResult, Run, RunKind, RunOutcome
from tests.contract.storage_fixtures import (
    postgres_engine_in_own_schema,
    postgres_url_or_skip,
    sqlite_engine,
    sqlite_url,
)

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    return postgres_url_or_skip()


@pytest.fixture
def postgres_ledger(postgres_url: str) -> Iterator[SqlSyncLedger]:
    with postgres_engine_in_own_schema(postgres_url) as engine:
        yield SqlSyncLedger(engine)


@pytest.fixture
def sqlite_ledger(tmp_path: Path) -> Iterator[SqlSyncLedger]:
    with sqlite_engine(tmp_path) as engine:
        yield SqlSyncLedger(engine)


@pytest.fixture(params=["in-memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger(request: pytest.FixtureRequest) -> SyncLedger:
    if request.param == "in-memory":
        return InMemorySyncLedger()
    fixture = {"sqlite": "sqlite_ledger", "postgresql": "postgres_ledger"}[request.param]
    chosen: SyncLedger = request.getfixturevalue(fixture)
    return chosen


def action(subject: str, at: datetime = T0, error: str | None = None) -> ActionRecord:
    result = ActionResult.APPLIED if error is None else ActionResult.FAILED
    return ActionRecord(
        kind="invite", subject=subject, why="active worker with no member", at=at, result=result, error=error
    )


# The contract


def test_start_run_records_a_running_run(ledger: SyncLedger) -> None:
    run = ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)

    assert run == Run(id=run.id, kind=RunKind.MEMBERSHIP, tenant="acme", started_at=T0)
    assert ledger.run(run.id) == run


def test_run_ids_increase(ledger: SyncLedger) -> None:
    ids = [ledger.start_run(RunKind.MEMBERSHIP, "acme", T0 + timedelta(minutes=n)).id for n in range(4)]

    assert ids == sorted(set(ids))


def test_runs_are_listed_newest_first(ledger: SyncLedger) -> None:
    started = [ledger.start_run(RunKind.MEMBERSHIP, "acme", T0 + timedelta(minutes=n)) for n in range(3)]

    assert [r.id for r in ledger.runs()] == [r.id for r in reversed(started)]


def test_runs_lists_at_most_limit(ledger: SyncLedger) -> None:
    started = [ledger.start_run(RunKind.TRANSCRIPTS, "acme", T0) for _ in range(5)]

    assert [r.id for r in ledger.runs(limit=2)] == [started[4].id, started[3].id]


def test_runs_can_be_limited_to_one_tenant(ledger: SyncLedger) -> None:
    acme = ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)
    ledger.start_run(RunKind.MEMBERSHIP, "globex", T0)
    later_acme = ledger.start_run(RunKind.TRANSCRIPTS, "acme", T0)

    assert [r.id for r in ledger.runs(tenant="acme")] == [later_acme.id, acme.id]
    assert ledger.runs(tenant="initech") == []


def test_an_unknown_run_is_none(ledger: SyncLedger) -> None:
    ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)

    assert ledger.run(9999) is None


def test_actions_come_back_in_the_order_recorded(ledger: SyncLedger) -> None:
    run = ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)
    first = [action("worker 3"), action("worker 1", error="worker 1: email: not an email address (422 invalid)")]
    second = [action("worker 2", at=T0 + timedelta(seconds=1))]

    ledger.record_actions(run.id, first)
    ledger.record_actions(run.id, second)

    assert ledger.actions(run.id) == [*first, *second]


def test_actions_belong_to_their_run(ledger: SyncLedger) -> None:
    one = ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)
    other = ledger.start_run(RunKind.MEMBERSHIP, "globex", T0)
    ledger.record_actions(one.id, [action("worker 1")])
    ledger.record_actions(other.id, [action("worker 2")])

    assert ledger.actions(one.id) == [action("worker 1")]
    assert ledger.actions(other.id) == [action("worker 2")]


def test_recording_no_actions_changes_nothing(ledger: SyncLedger) -> None:
    run = ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)

    ledger.record_actions(run.id, [])

    assert ledger.actions(run.id) == []


def test_an_unknown_run_has_no_actions(ledger: SyncLedger) -> None:
    assert ledger.actions(9999) == []


def test_finish_run_sets_outcome_end_time_counts_and_message(ledger: SyncLedger) -> None:
    run = ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)
    end = T0 + timedelta(minutes=3)

    finished = ledger.finish_run(run.id, RunOutcome.PARTIAL, end, {"invited": 2, "failed": 1}, "1 action failed")

    assert finished == Run(
        id=run.id,
        kind=RunKind.MEMBERSHIP,
        tenant="acme",
        started_at=T0,
        outcome=RunOutcome.PARTIAL,
        finished_at=end,
        counts={"invited": 2, "failed": 1},
        message="1 action failed",
    )
    assert ledger.run(run.id) == finished
    assert ledger.runs() == [finished]


@pytest.mark.parametrize("counts", [{}, {"invited": 0}, {"invited": 3, "updated": 10_000, "removed": 1}])
def test_counts_round_trip(ledger: SyncLedger, counts: dict[str, int]) -> None:
    run = ledger.start_run(RunKind.TRANSCRIPTS, "acme", T0)

    ledger.finish_run(run.id, RunOutcome.SUCCEEDED, T0, counts)

    stored = ledger.run(run.id)
    assert stored is not None
    assert stored.counts == counts


def test_timestamps_come_back_aware_and_equal(ledger: SyncLedger) -> None:
    paris = timezone(timedelta(hours=1))
    started = datetime(2026, 3, 29, 1, 59, 59, 123456, tzinfo=paris)
    finished = datetime(2026, 3, 29, 3, 0, 0, 1, tzinfo=timezone(timedelta(hours=-5)))
    run = ledger.start_run(RunKind.MEMBERSHIP, "acme", started)
    ledger.record_actions(run.id, [action("worker 1", at=started)])
    ledger.finish_run(run.id, RunOutcome.SUCCEEDED, finished, {})

    stored = ledger.run(run.id)
    assert stored is not None
    stamps = [stored.started_at, stored.finished_at, ledger.actions(run.id)[0].at]
    assert all(stamp is not None and stamp.utcoffset() is not None for stamp in stamps)
    assert stamps == [started, finished, started]


def test_text_round_trips_unchanged(ledger: SyncLedger) -> None:
    run = ledger.start_run(RunKind.MEMBERSHIP, "Zürich AG ✓", T0)
    record = ActionRecord(
        "update", "member mem_1 (employee 21001)", "last_name Løvelace -> Lovelace 🙂", T0, ActionResult.APPLIED
    )
    ledger.record_actions(run.id, [record])
    ledger.finish_run(run.id, RunOutcome.SUCCEEDED, T0, {}, "ok 'quoted' \"twice\"; DROP TABLE runs;")

    stored = ledger.run(run.id)
    assert stored is not None
    assert (stored.tenant, stored.message) == ("Zürich AG ✓", "ok 'quoted' \"twice\"; DROP TABLE runs;")
    assert ledger.actions(run.id) == [record]


def test_recording_actions_for_an_unknown_run_raises_ledger_unavailable(ledger: SyncLedger) -> None:
    with pytest.raises(LedgerUnavailable, match="9999"):
        ledger.record_actions(9999, [action("worker 1")])


def test_finishing_an_unknown_run_raises_ledger_unavailable(ledger: SyncLedger) -> None:
    with pytest.raises(LedgerUnavailable, match="9999"):
        ledger.finish_run(9999, RunOutcome.SUCCEEDED, T0, {})


def test_runs_can_be_limited_to_one_kind(ledger: SyncLedger) -> None:
    membership = ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)
    ledger.start_run(RunKind.TRANSCRIPTS, "acme", T0)

    assert [r.id for r in ledger.runs(tenant="acme", kind=RunKind.MEMBERSHIP)] == [membership.id]


def test_details_and_approvers_of_actions_round_trip(ledger: SyncLedger) -> None:
    run = ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)
    planned = ActionRecord(
        "remove", "member m1", "no longer in the report", T0, ActionResult.PLANNED,
        detail={"member": {"id": "m1", "wid": None}, "reason": "not in report", "rows": [1, 2]},
    )  # fmt: skip
    approved = ActionRecord("invite", "employee 7", "active worker", T0, ActionResult.APPLIED, approved_by="Ada Ö")

    ledger.record_actions(run.id, [planned, approved])

    assert ledger.actions(run.id) == [planned, approved]


def finished(ledger: SyncLedger, kind: RunKind, tenant: str, outcome: RunOutcome, at: datetime = T0) -> Run:
    run = ledger.start_run(kind, tenant, at)
    return ledger.finish_run(run.id, outcome, at, {"n": run.id})


def test_latest_runs_gives_the_latest_run_of_each_tenant_kind_and_outcome(ledger: SyncLedger) -> None:
    finished(ledger, RunKind.MEMBERSHIP, "acme", RunOutcome.SUCCEEDED)
    latest_success = finished(ledger, RunKind.MEMBERSHIP, "acme", RunOutcome.SUCCEEDED)
    failure = finished(ledger, RunKind.MEMBERSHIP, "acme", RunOutcome.FAILED)
    transcripts = finished(ledger, RunKind.TRANSCRIPTS, "acme", RunOutcome.PARTIAL)
    globex = finished(ledger, RunKind.MEMBERSHIP, "globex", RunOutcome.BLOCKED)
    ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)  # still running: not an outcome

    assert ledger.latest_runs(["acme"]) == [latest_success, failure, transcripts]
    assert ledger.latest_runs(["acme", "globex", "initech"]) == [latest_success, failure, transcripts, globex]
    assert ledger.latest_runs() == [latest_success, failure, transcripts, globex]
    assert ledger.latest_runs([]) == []


def test_latest_runs_reads_tenant_names_as_written(ledger: SyncLedger) -> None:
    odd = finished(ledger, RunKind.MEMBERSHIP, "Zürich 'AG'; \"x\"", RunOutcome.SUCCEEDED)
    finished(ledger, RunKind.MEMBERSHIP, "zürich", RunOutcome.SUCCEEDED)

    assert ledger.latest_runs(["Zürich 'AG'; \"x\""]) == [odd]


def blocked(ledger: SyncLedger, tenant: str = "acme") -> Run:
    return finished(ledger, RunKind.MEMBERSHIP, tenant, RunOutcome.BLOCKED)


def test_deciding_a_blocked_run_sets_its_outcome_decider_and_message(ledger: SyncLedger) -> None:
    run = blocked(ledger)
    at = T0 + timedelta(hours=1)

    decided = ledger.decide_blocked(run.id, RunOutcome.REJECTED, "ada", at, "rejected by ada")

    assert decided == Run(
        id=run.id, kind=RunKind.MEMBERSHIP, tenant="acme", started_at=T0, outcome=RunOutcome.REJECTED,
        finished_at=at, counts=run.counts, message="rejected by ada", decided_by="ada",
    )  # fmt: skip
    assert ledger.run(run.id) == decided


def test_a_blocked_run_is_decided_once(ledger: SyncLedger) -> None:
    run = blocked(ledger)

    first = ledger.decide_blocked(run.id, RunOutcome.RUNNING, "ada", T0, "approved by ada")
    second = ledger.decide_blocked(run.id, RunOutcome.REJECTED, "bob", T0, "rejected by bob")

    assert first is not None
    assert second is None
    assert ledger.run(run.id) == first


def test_a_blocked_run_followed_by_a_later_run_of_its_kind_cannot_be_decided(ledger: SyncLedger) -> None:
    run = blocked(ledger)
    ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)

    assert ledger.decide_blocked(run.id, RunOutcome.RUNNING, "ada", T0, "approved") is None
    assert ledger.run(run.id) == run


def test_later_runs_of_another_kind_or_tenant_do_not_stop_a_decision(ledger: SyncLedger) -> None:
    run = blocked(ledger)
    ledger.start_run(RunKind.TRANSCRIPTS, "acme", T0)
    blocked(ledger, "globex")

    assert ledger.decide_blocked(run.id, RunOutcome.RUNNING, "ada", T0, "approved") is not None


@pytest.mark.parametrize("outcome", [RunOutcome.SUCCEEDED, RunOutcome.FAILED, RunOutcome.PARTIAL])
def test_a_run_that_was_not_blocked_cannot_be_decided(ledger: SyncLedger, outcome: RunOutcome) -> None:
    run = finished(ledger, RunKind.MEMBERSHIP, "acme", outcome)

    assert ledger.decide_blocked(run.id, RunOutcome.RUNNING, "ada", T0, "approved") is None
    assert ledger.decide_blocked(9999, RunOutcome.RUNNING, "ada", T0, "approved") is None


def test_replace_actions_replaces_those_at_the_positions_given(ledger: SyncLedger) -> None:
    run = ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)
    ledger.record_actions(run.id, [action("worker 1"), action("worker 2"), action("worker 3")])
    applied = ActionRecord("invite", "worker 3", "why", T0, ActionResult.APPLIED, approved_by="ada", detail={"a": 1})

    ledger.replace_actions(run.id, {2: applied, 0: action("worker 1", error="refused")})

    assert ledger.actions(run.id) == [action("worker 1", error="refused"), action("worker 2"), applied]


def test_replacing_an_action_out_of_range_raises_ledger_unavailable(ledger: SyncLedger) -> None:
    run = ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)
    ledger.record_actions(run.id, [action("worker 1")])

    with pytest.raises(LedgerUnavailable):
        ledger.replace_actions(run.id, {1: action("worker 2")})


# The SQL ledger alone


def test_the_sqlite_ledger_survives_a_new_engine_on_the_same_file(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "wlc.db")
    first_engine = create_engine_for(url)
    first = SqlSyncLedger(first_engine)
    run = first.start_run(RunKind.MEMBERSHIP, "acme", T0)
    first.record_actions(run.id, [action("worker 1")])
    finished = first.finish_run(run.id, RunOutcome.SUCCEEDED, T0, {"invited": 1})
    first_engine.dispose()

    second = SqlSyncLedger(create_engine_for(url))

    assert second.runs() == [finished]
    assert second.actions(run.id) == [action("worker 1")]
    assert second.start_run(RunKind.MEMBERSHIP, "acme", T0).id > run.id


def test_create_engine_for_sets_up_a_durable_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "there" / "wlc.db"
    engine = create_engine_for(sqlite_url(path))

    with engine.connect() as connection:
        pragmas = [
            connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys")
        ]
    engine.dispose()

    assert path.parent.is_dir()
    assert pragmas == ["wal", 2, 1]  # synchronous 2 is FULL


def test_create_schema_can_run_again(tmp_path: Path) -> None:
    engine = create_engine_for(sqlite_url(tmp_path / "wlc.db"))
    ledger = SqlSyncLedger(engine)
    run = ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)

    create_schema(engine)
    SqlSyncLedger(engine)

    assert ledger.run(run.id) == run


def test_a_read_only_database_raises_ledger_unavailable_on_write(tmp_path: Path) -> None:
    path = tmp_path / "wlc.db"
    writable = create_engine_for(sqlite_url(path))
    run = SqlSyncLedger(writable).start_run(RunKind.MEMBERSHIP, "acme", T0)
    writable.dispose()
    ledger = SqlSyncLedger(create_engine_for(f"sqlite:///file:{path}?mode=ro&uri=true"))

    assert ledger.run(run.id) == run
    with pytest.raises(LedgerStorageError, match="could not start a run: attempt to write a readonly database"):
        ledger.start_run(RunKind.MEMBERSHIP, "acme", T0)


def test_a_database_that_cannot_be_opened_raises_ledger_unavailable(tmp_path: Path) -> None:
    (tmp_path / "wlc.db").mkdir()

    with pytest.raises(LedgerUnavailable, match="could not create its tables"):
        SqlSyncLedger(create_engine_for(sqlite_url(tmp_path / "wlc.db")))


def test_an_unreachable_server_raises_ledger_unavailable_without_the_password() -> None:
    engine = create_engine_for("postgresql+psycopg://wlc:s3cr3t-pa55@127.0.0.1:1/wlc?connect_timeout=2")

    with pytest.raises(LedgerUnavailable) as raised:
        SqlSyncLedger(engine)

    assert "s3cr3t-pa55" not in str(raised.value)
    assert "127.0.0.1:1" in str(raised.value)
    assert "s3cr3t-pa55" not in repr(raised.value.__cause__) + repr(raised.value.__context__)


_WRITER = """
import sys
from datetime import UTC, datetime
from adapters.storage import SqlSyncLedger, create_engine_for
from domain.runs import ActionRecord, ActionResult, RunKind

ledger = SqlSyncLedger(create_engine_for(sys.argv[1]))
run = ledger.start_run(RunKind.MEMBERSHIP, "acme", datetime.now(UTC))
batch = [
    ActionRecord("invite", f"worker {n}", "x" * 2000, datetime.now(UTC), ActionResult.APPLIED) for n in range(50)
]
batches = 0
while True:
    ledger.record_actions(run.id, batch)
    batches += 1
    print(batches, flush=True)
"""


def test_a_kill_during_a_write_leaves_only_whole_batches(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "wlc.db")
    writer = subprocess.Popen(  # noqa: S603 - our own interpreter running our own script
        [sys.executable, "-c", textwrap.dedent(_WRITER), url], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    try:
        committed = 0
        while committed < 20:
            committed = int(writer.stdout.readline())
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()

    engine = create_engine_for(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    ledger = SqlSyncLedger(engine)
    (run,) = ledger.runs()
    recorded = ledger.actions(run.id)
    assert len(recorded) >= committed * 50
    assert len(recorded) % 50 == 0


@pytest.mark.parametrize("url", ["postgres://wlc:s3cr3t-pa55@db/wlc", "wlc:s3cr3t-pa55@db"])
def test_an_unusable_url_raises_ledger_unavailable_without_the_password(url: str) -> None:
    with pytest.raises(LedgerUnavailable) as raised:
        create_engine_for(url)

    assert "s3cr3t-pa55" not in str(raised.value)
