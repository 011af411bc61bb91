"""Every tenant's status through the application container (``StatusOfTenants``), on a SQLite ledger: what it
reads from the runs, the outbox and the token record, when each schedule next fires, and that its cost is one
query per source whatever the number of tenants."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from dependency_injector import providers
from sqlalchemy import event

from adapters.fakes import FixedClock
from app.application import Application
from app.settings import ScheduleSettings, Settings
from app.use_cases.status import next_runs
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.runs import RunKind, RunOutcome
from domain.schedules import TenantSchedule, Weekday
from domain.tenant_status import DeliveryStatus, TenantProfile, TokenStatus
from tests.unit.http.world import tenant_settings

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # a Monday; 12:00 in Toronto
TORONTO = ZoneInfo("America/Toronto")


def application(tmp_path: Path, names: list[str]) -> Application:
    tenants = {name: tenant_settings(name) for name in names}
    tenants[names[0]] = tenants[names[0]].model_copy(
        update={"timezone": "America/Toronto", "schedules": ScheduleSettings(membership_daily_at=time(6, 0))}
    )
    app = Application(settings=Settings(ledger_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}", tenants=tenants))
    app.clock.override(providers.Object(FixedClock(NOW)))
    return app


def test_the_status_gathers_runs_schedules_outbox_refusals_rejected_rows_and_the_token(tmp_path: Path) -> None:
    app = application(tmp_path, ["acme", "globex"])
    ledger = app.sync_ledger()
    ok = ledger.start_run(RunKind.MEMBERSHIP, "acme", NOW - timedelta(hours=30))
    ledger.finish_run(ok.id, RunOutcome.SUCCEEDED, NOW - timedelta(hours=30), {"rejected": 3})
    failed = ledger.start_run(RunKind.TRANSCRIPTS, "acme", NOW - timedelta(hours=2))
    failed = ledger.finish_run(failed.id, RunOutcome.FAILED, NOW - timedelta(hours=2), {}, "Workday answered 503")
    outbox = app.completion_outbox()
    completion = LearningCompletion("100001", "ADV-SALES-001", CompletionResult.PASS, NOW - timedelta(days=1))
    outbox.enqueue("acme", completion, NOW - timedelta(minutes=45))
    app.token_health().refused("acme", NOW - timedelta(minutes=5), "refresh token expired or revoked")

    acme, globex = app.tenant_status()()

    membership = acme.of(RunKind.MEMBERSHIP)
    assert membership.last_success is not None
    assert membership.last_success.run_id == ok.id
    assert membership.next_run == datetime(2026, 11, 24, 6, 0, tzinfo=TORONTO)
    transcripts = acme.of(RunKind.TRANSCRIPTS)
    assert transcripts.failing
    assert transcripts.last_failure is not None
    assert transcripts.last_failure.message == "Workday answered 503"
    assert transcripts.next_run == datetime(2026, 11, 23, 13, 0, tzinfo=TORONTO)
    assert acme.of(RunKind.RECONCILE).next_run == datetime(2026, 11, 29, 4, 0, tzinfo=TORONTO)
    assert acme.deliveries == DeliveryStatus(depth=1, oldest_pending=NOW - timedelta(minutes=45))
    assert acme.oldest_pending_age == timedelta(minutes=45)
    assert (acme.rejected_rows, acme.rejected_rows_run) == (3, ok.id)
    assert acme.token == TokenStatus(None, NOW - timedelta(minutes=5), "refresh token expired or revoked")
    assert acme.requests_last_minute is None
    assert globex.tenant == "globex"
    assert globex.deliveries == DeliveryStatus()
    assert [s.tenant for s in app.tenant_status()(["globex"])] == ["globex"]


def test_the_status_of_sixty_tenants_costs_the_statements_of_three(tmp_path: Path) -> None:
    names = [f"tenant-{n:03d}" for n in range(60)]
    app = application(tmp_path, names)
    ledger = app.sync_ledger()
    for name in names:
        for kind in RunKind:
            run = ledger.start_run(kind, name, NOW)
            ledger.finish_run(run.id, RunOutcome.SUCCEEDED, NOW, {})
    app.tenant_status()(names[:1])  # the stores are made, and their tables checked, on first use
    statements: list[str] = []
    event.listen(app.ledger_engine(), "before_cursor_execute", lambda *args: statements.append(args[2]))

    few = app.tenant_status()(names[:3])
    queries_for_few = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    statements.clear()
    many = app.tenant_status()(names)
    queries_for_many = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]

    assert len(few) == 3
    assert len(many) == 60
    assert all(s.of(kind).last_success is not None for s in many for kind in RunKind)
    assert len(queries_for_few) == len(queries_for_many) == 3, "the runs, the outbox, the token record"


def test_a_schedule_fires_next_at_its_local_time_across_a_daylight_saving_change() -> None:
    spring = TenantProfile("acme", TORONTO, TenantSchedule(time(2, 30), None, (Weekday.SUN, time(2, 30))))
    saturday_night = datetime(2026, 3, 7, 23, 0, tzinfo=TORONTO)

    found = next_runs(spring, saturday_night)

    # 02:30 does not exist on 8 March 2026 in Toronto: the clocks go from 02:00 to 03:00.
    assert found == {
        RunKind.MEMBERSHIP: datetime(2026, 3, 8, 3, 0, tzinfo=TORONTO),
        RunKind.RECONCILE: datetime(2026, 3, 8, 3, 0, tzinfo=TORONTO),
    }
    assert found[RunKind.MEMBERSHIP].utcoffset() == timedelta(hours=-4)
