"""The delivery ledger contract (``domain.ports.delivery_ledger.DeliveryLedger``), run against every
implementation: the in-memory fake, the SQL ledger on a SQLite file and the SQL ledger on PostgreSQL
(``WLC_TEST_POSTGRES_URL``, skipped when no server answers). The tests after the contract hold for the SQL
ledger alone."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, insert

from adapters.fakes import InMemoryDeliveryLedger
from adapters.storage import LedgerStorageError, SqlDeliveryLedger, SqlSyncLedger, create_engine_for
from adapters.storage.schema import deliveries
from adapters.storage.upsert import check_upsert_dialect
from domain.deliveries import Delivery, DeliveryKind, DeliveryOutcome
from domain.errors import LedgerUnavailable
from domain.ports.delivery_ledger import DeliveryLedger
from domain.runs import RunKind
from domain.transcripts import Settled
from tests.contract.storage_fixtures import (
    postgres_engine_in_own_schema,
    postgres_url_or_skip,
    sqlite_engine,
    sqlite_url,
)

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
CONTENT, RECORD = DeliveryKind.CONTENT, DeliveryKind.RECORD
DELIVERED, REJECTED = DeliveryOutcome.DELIVERED, DeliveryOutcome.REJECTED
FEED = "lumiq-completions"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    return postgres_url_or_skip()


@pytest.fixture
def postgres_ledger(postgres_url: str) -> Iterator[SqlDeliveryLedger]:
    with postgres_engine_in_own_schema(postgres_url) as engine:
        yield SqlDeliveryLedger(engine)


@pytest.fixture
def sqlite_ledger(tmp_path: Path) -> Iterator[SqlDeliveryLedger]:
    with sqlite_engine(tmp_path) as engine:
        yield SqlDeliveryLedger(engine)


@pytest.fixture(params=["in-memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger(request: pytest.FixtureRequest) -> DeliveryLedger:
    if request.param == "in-memory":
        return InMemoryDeliveryLedger()
    fixture = {"sqlite": "sqlite_ledger", "postgresql": "postgres_ledger"}[request.param]
    chosen: DeliveryLedger = request.getfixturevalue(fixture)
    return chosen


def delivery(
    item_id: str = "cmp_1",
    payload_hash: str = "h1",
    kind: DeliveryKind = RECORD,
    outcome: DeliveryOutcome = DELIVERED,
    at: datetime = T0,
    **changes: Any,
) -> Delivery:
    fields: dict[str, Any] = {"workday_reference": f"WID-{item_id}" if outcome is DELIVERED else None}
    if outcome is REJECTED:
        fields["message"] = "Validation error: Learner Employee ID is not a worker"
    fields.update(changes)
    return Delivery(kind, item_id, payload_hash, outcome, at, **fields)


def in_order(listed: list[Delivery]) -> list[Delivery]:
    """The port promises no order for ``deliveries``; compare by kind and item ID."""
    return sorted(listed, key=lambda d: (d.kind.value, d.item_id))


# The contract


def test_a_new_ledger_has_nothing_settled_and_no_deliveries(ledger: DeliveryLedger) -> None:
    assert ledger.settled("acme") == Settled(contents={}, records={})
    assert ledger.deliveries("acme") == []


def test_settled_holds_the_payload_hash_of_each_delivered_item_by_kind(ledger: DeliveryLedger) -> None:
    ledger.record_delivery(1, "acme", delivery("ep_1042", "hc", kind=CONTENT))
    ledger.record_delivery(1, "acme", delivery("cmp_1", "h1"))
    ledger.record_delivery(1, "acme", delivery("cmp_2", "h2"))

    assert ledger.settled("acme") == Settled(contents={"ep_1042": "hc"}, records={"cmp_1": "h1", "cmp_2": "h2"})


def test_deliveries_recorded_at_once_by_many_threads_are_all_settled(ledger: DeliveryLedger) -> None:
    items = [delivery(f"cmp_{n}", f"h{n}") for n in range(64)] + [delivery("cmp_0", "h0")]
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda d: ledger.record_delivery(1, "acme", d), items))

    assert ledger.settled("acme").records == {f"cmp_{n}": f"h{n}" for n in range(64)}


def test_a_delivery_rejected_as_invalid_counts_as_settled(ledger: DeliveryLedger) -> None:
    ledger.record_delivery(1, "acme", delivery("cmp_1", "h1", outcome=REJECTED))
    ledger.record_delivery(1, "acme", delivery("ep_1", "hc", kind=CONTENT, outcome=REJECTED))

    assert ledger.settled("acme") == Settled(contents={"ep_1": "hc"}, records={"cmp_1": "h1"})


def test_the_same_item_id_of_the_other_kind_is_another_item(ledger: DeliveryLedger) -> None:
    ledger.record_delivery(1, "acme", delivery("X1", "as content", kind=CONTENT))
    ledger.record_delivery(1, "acme", delivery("X1", "as record", kind=RECORD))

    assert ledger.settled("acme") == Settled(contents={"X1": "as content"}, records={"X1": "as record"})
    assert len(ledger.deliveries("acme")) == 2


def test_deliveries_lists_every_delivery_with_all_its_fields(ledger: DeliveryLedger) -> None:
    recorded = [
        delivery("ep_1042", "hc", kind=CONTENT, workday_reference="LIC-000123"),
        delivery("cmp_1", "h1", at=T0 + timedelta(seconds=1), workday_reference="LIR-000456", message="ok"),
        delivery("cmp_2", "h2", outcome=REJECTED, at=T0 + timedelta(seconds=2)),
        delivery("cmp_3", "h3", workday_reference=None, message=None),
    ]
    for item in recorded:
        ledger.record_delivery(7, "acme", item)

    assert in_order(ledger.deliveries("acme")) == in_order(recorded)


def test_a_later_delivery_of_an_item_replaces_the_earlier_one(ledger: DeliveryLedger) -> None:
    ledger.record_delivery(1, "acme", delivery("cmp_1", "old", workday_reference="LIR-1", message="first"))
    later = delivery("cmp_1", "new", at=T0 + timedelta(days=1), workday_reference="LIR-2", message=None)

    ledger.record_delivery(2, "acme", later)

    assert ledger.deliveries("acme") == [later]
    assert ledger.settled("acme").records == {"cmp_1": "new"}


def test_a_rejection_can_be_replaced_by_a_delivery_and_the_other_way_round(ledger: DeliveryLedger) -> None:
    ledger.record_delivery(1, "acme", delivery("cmp_1", "h1", outcome=REJECTED))
    ledger.record_delivery(1, "acme", delivery("cmp_2", "h2"))
    fixed = delivery("cmp_1", "h1b", at=T0 + timedelta(hours=1))
    refused = delivery("cmp_2", "h2b", outcome=REJECTED, at=T0 + timedelta(hours=1))

    ledger.record_delivery(2, "acme", fixed)
    ledger.record_delivery(2, "acme", refused)

    assert in_order(ledger.deliveries("acme")) == [fixed, refused]
    assert ledger.settled("acme").records == {"cmp_1": "h1b", "cmp_2": "h2b"}


def test_replacing_one_item_leaves_the_others_alone(ledger: DeliveryLedger) -> None:
    first, second = delivery("cmp_1", "h1"), delivery("cmp_2", "h2")
    ledger.record_delivery(1, "acme", first)
    ledger.record_delivery(1, "acme", second)
    again = delivery("cmp_1", "h1b")

    ledger.record_delivery(2, "acme", again)

    assert in_order(ledger.deliveries("acme")) == [again, second]


def test_tenants_are_kept_apart(ledger: DeliveryLedger) -> None:
    acme = delivery("cmp_1", "acme's")
    globex = delivery("cmp_1", "globex's", outcome=REJECTED)
    ledger.record_delivery(1, "acme", acme)
    ledger.record_delivery(2, "globex", globex)
    ledger.record_delivery(2, "globex", delivery("ep_1", "hc", kind=CONTENT))

    assert ledger.settled("acme") == Settled(contents={}, records={"cmp_1": "acme's"})
    assert ledger.deliveries("acme") == [acme]
    assert ledger.settled("globex").records == {"cmp_1": "globex's"}
    assert ledger.settled("initech") == Settled(contents={}, records={})


def test_timestamps_come_back_aware_and_equal(ledger: DeliveryLedger) -> None:
    at = datetime(2026, 3, 29, 1, 59, 59, 123456, tzinfo=timezone(timedelta(hours=-5)))
    ledger.record_delivery(1, "acme", delivery(at=at))

    (stored,) = ledger.deliveries("acme")

    assert stored.at == at
    assert stored.at.utcoffset() is not None


def test_text_round_trips_unchanged(ledger: DeliveryLedger) -> None:
    odd = delivery(
        "cmp_Zürich ✓ 'quoted'; DROP TABLE deliveries;",
        "h" * 64,
        outcome=REJECTED,
        message='Validation error at wd:Learner_Reference/wd:ID[@wd:type="Employee_ID"] 🙂',
    )
    ledger.record_delivery(1, "Zürich AG ✓", odd)

    assert ledger.deliveries("Zürich AG ✓") == [odd]
    assert ledger.settled("Zürich AG ✓").records == {odd.item_id: odd.payload_hash}


def test_there_is_no_cursor_before_one_is_saved(ledger: DeliveryLedger) -> None:
    assert ledger.cursor("acme", FEED) is None


def test_a_saved_cursor_is_read_back_and_a_later_one_replaces_it(ledger: DeliveryLedger) -> None:
    ledger.save_cursor("acme", FEED, "c_0001")
    assert ledger.cursor("acme", FEED) == "c_0001"

    ledger.save_cursor("acme", FEED, "c_0002")
    assert ledger.cursor("acme", FEED) == "c_0002"


def test_cursors_are_kept_per_tenant_and_source(ledger: DeliveryLedger) -> None:
    ledger.save_cursor("acme", FEED, "acme-feed")
    ledger.save_cursor("acme", "other-provider", "acme-other")
    ledger.save_cursor("globex", FEED, "globex-feed")

    assert ledger.cursor("acme", FEED) == "acme-feed"
    assert ledger.cursor("acme", "other-provider") == "acme-other"
    assert ledger.cursor("globex", FEED) == "globex-feed"
    assert ledger.cursor("globex", "other-provider") is None
    assert ledger.cursor("initech", FEED) is None


def test_a_cursor_is_not_a_delivery(ledger: DeliveryLedger) -> None:
    ledger.save_cursor("acme", FEED, "c_1")

    assert ledger.deliveries("acme") == []


# The SQL ledger alone


def test_deliveries_and_cursors_survive_a_new_engine_on_the_same_sqlite_file(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "wlc.db")
    first_engine = create_engine_for(url)
    first = SqlDeliveryLedger(first_engine)
    recorded = [
        delivery("ep_1", "hc", kind=CONTENT),
        delivery("cmp_1", "h1"),
        delivery("cmp_2", "h2", outcome=REJECTED),
    ]
    for item in recorded:
        first.record_delivery(1, "acme", item)
    first.save_cursor("acme", FEED, "c_0042")
    first_engine.dispose()

    second = SqlDeliveryLedger(create_engine_for(url))

    assert in_order(second.deliveries("acme")) == in_order(recorded)
    assert second.settled("acme") == Settled(contents={"ep_1": "hc"}, records={"cmp_1": "h1", "cmp_2": "h2"})
    assert second.cursor("acme", FEED) == "c_0042"


def test_shares_a_database_with_the_sync_ledger(tmp_path: Path) -> None:
    engine = create_engine_for(sqlite_url(tmp_path / "wlc.db"))
    runs = SqlSyncLedger(engine)
    ledger = SqlDeliveryLedger(engine)
    run = runs.start_run(RunKind.TRANSCRIPTS, "acme", T0)

    ledger.record_delivery(run.id, "acme", delivery())

    assert runs.runs() == [run]
    assert ledger.deliveries("acme") == [delivery()]


def test_settled_is_one_query_over_a_hundred_thousand_deliveries(tmp_path: Path) -> None:
    engine = create_engine_for(sqlite_url(tmp_path / "wlc.db"))
    ledger = SqlDeliveryLedger(engine)
    rows = [
        {
            "tenant": tenant,
            "kind": "record",
            "item_id": f"cmp_{n}",
            "payload_hash": f"{n:064x}",
            "outcome": "delivered" if n % 10 else "rejected",
            "at": T0,
            "run_id": 1,
        }
        for tenant in ("acme", "globex")
        for n in range(100_000)
    ]
    with engine.begin() as connection:
        connection.execute(insert(deliveries), rows)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    settled = ledger.settled("acme")

    assert len(settled.records) == 100_000
    assert settled.records["cmp_99999"] == f"{99_999:064x}"
    assert [statement.split()[0] for statement in statements] == ["BEGIN", "SELECT"]


def test_a_read_only_database_raises_ledger_unavailable_on_record(tmp_path: Path) -> None:
    path = tmp_path / "wlc.db"
    writable = create_engine_for(sqlite_url(path))
    SqlDeliveryLedger(writable).record_delivery(1, "acme", delivery())
    writable.dispose()
    ledger = SqlDeliveryLedger(create_engine_for(f"sqlite:///file:{path}?mode=ro&uri=true"))

    assert ledger.deliveries("acme") == [delivery()]
    with pytest.raises(
        LedgerStorageError, match=r"delivery ledger at .* could not record the delivery of record cmp_2"
    ):
        ledger.record_delivery(1, "acme", delivery("cmp_2"))
    with pytest.raises(LedgerUnavailable, match="could not save the cursor of lumiq-completions"):
        ledger.save_cursor("acme", FEED, "c_1")


def test_a_database_that_cannot_be_opened_raises_ledger_unavailable(tmp_path: Path) -> None:
    (tmp_path / "wlc.db").mkdir()

    with pytest.raises(LedgerUnavailable, match=r"delivery ledger .* could not create its tables"):
        SqlDeliveryLedger(create_engine_for(sqlite_url(tmp_path / "wlc.db")))


def test_an_unreachable_server_raises_ledger_unavailable_without_the_password() -> None:
    engine = create_engine_for("postgresql+psycopg://wlc:s3cr3t-pa55@127.0.0.1:1/wlc?connect_timeout=2")

    with pytest.raises(LedgerUnavailable) as raised:
        SqlDeliveryLedger(engine)

    assert "s3cr3t-pa55" not in str(raised.value)
    assert "127.0.0.1:1" in str(raised.value)


def test_a_database_without_an_upsert_the_ledger_knows_is_refused() -> None:
    with pytest.raises(LedgerStorageError, match="needs SQLite or PostgreSQL, not mysql"):
        check_upsert_dialect("mysql")


_WRITER = """
import sys
from datetime import UTC, datetime
from adapters.storage import SqlDeliveryLedger, create_engine_for
from domain.deliveries import Delivery, DeliveryKind, DeliveryOutcome

ledger = SqlDeliveryLedger(create_engine_for(sys.argv[1]))
n = 0
while True:
    ledger.record_delivery(
        1,
        "acme",
        Delivery(
            DeliveryKind.RECORD, f"cmp_{n}", f"{n:064x}", DeliveryOutcome.DELIVERED, datetime.now(UTC),
            workday_reference=f"LIR-{n}", message=f"{n}:" + "x" * 4000,
        ),
    )
    n += 1
    print(n, flush=True)
"""


def test_a_kill_while_recording_leaves_a_prefix_of_whole_deliveries(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "wlc.db")
    writer = subprocess.Popen(  # noqa: S603 - our own interpreter running our own script
        [sys.executable, "-c", textwrap.dedent(_WRITER), url], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    try:
        committed = 0
        while committed < 200:
            committed = int(writer.stdout.readline())
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()

    engine = create_engine_for(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    recorded = SqlDeliveryLedger(engine).deliveries("acme")
    assert len(recorded) >= committed
    assert sorted(int(d.item_id.removeprefix("cmp_")) for d in recorded) == list(range(len(recorded)))
    for item in recorded:
        n = int(item.item_id.removeprefix("cmp_"))
        assert (item.payload_hash, item.workday_reference, item.message) == (
            f"{n:064x}",
            f"LIR-{n}",
            f"{n}:" + "x" * 4000,
        )
