import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy

from adapters.storage import create_engine_for
from adapters.storage.completion_outbox import SqlCompletionOutbox, hold_claims
from adapters.storage.errors import LedgerStorageError
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.outbox import OutboxStatus
from tests.contract.storage_fixtures import (
    postgres_engine_in_own_schema,
    postgres_url_in_own_schema,
    postgres_url_or_skip,
    sqlite_engine,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def a_completion(learner: str = "E1", at: datetime = NOW) -> LearningCompletion:
    return LearningCompletion(
        learner, "ADV-SALES-001", CompletionResult.PASS, at, timedelta(minutes=45), Decimal("99.5"), "A"
    )


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"


def test_an_enqueued_completion_reads_back_whole_and_pending(url: str) -> None:
    outbox = SqlCompletionOutbox(create_engine_for(url))

    entry, added = outbox.enqueue("acme", a_completion(), NOW)

    assert added
    assert entry.completion == a_completion()
    assert (entry.status, entry.attempts) == (OutboxStatus.PENDING, 0)
    assert SqlCompletionOutbox(create_engine_for(url)).get(entry.id) == entry


def test_the_same_completion_enqueued_again_is_the_same_entry(url: str) -> None:
    outbox = SqlCompletionOutbox(create_engine_for(url))
    first, _ = outbox.enqueue("acme", a_completion(), NOW)

    again, added = outbox.enqueue("acme", a_completion(), NOW + timedelta(minutes=1))
    other_account, _ = outbox.enqueue("globex", a_completion(), NOW)

    assert (again.id, added) == (first.id, False)
    assert other_account.id != first.id


def test_a_session_resumed_takes_its_own_claims_again_at_once_and_no_one_elses(url: str) -> None:
    outbox = SqlCompletionOutbox(create_engine_for(url))
    entry, _ = outbox.enqueue("acme", a_completion(), NOW)
    same_pair, _ = outbox.enqueue("acme", a_completion(at=NOW + timedelta(days=1)), NOW)
    first = outbox.claim_next(NOW, LEASE, accounts=["acme"], session="session-1")
    assert first is not None
    assert first.id == entry.id
    later = NOW + timedelta(minutes=1)  # the worker running session-1 died; its claim is still live

    assert outbox.claim_next(later, LEASE, accounts=["acme"]) is None  # a deliverer outside any session waits
    assert outbox.claim_next(later, LEASE, accounts=["acme"], session="session-2") is None  # as does another session
    resumed = outbox.claim_next(later, LEASE, accounts=["acme"], session="session-1")
    assert resumed is not None
    assert (resumed.id, resumed.attempts) == (entry.id, 2)

    outbox.mark_delivered(entry.id, "wid-1", "wid-course", later)
    following = outbox.claim_next(later, LEASE, accounts=["acme"], session="session-2")
    assert following is not None
    assert following.id == same_pair.id  # the pair's claim was let go with the delivery


def test_a_claim_hides_an_entry_until_it_lapses_and_settling_ends_it(url: str) -> None:
    outbox = SqlCompletionOutbox(create_engine_for(url))
    entry, _ = outbox.enqueue("acme", a_completion(), NOW)

    claimed = outbox.claim_next(NOW, LEASE)
    assert claimed is not None
    assert claimed.attempts == 1
    assert outbox.claim_next(NOW + timedelta(minutes=1), LEASE) is None
    assert outbox.claim_next(NOW + LEASE, LEASE) is not None

    outbox.mark_delivered(entry.id, "wid-1", "wid-course", NOW)
    delivered = outbox.get(entry.id)
    assert delivered is not None
    assert (delivered.status, delivered.enrollment_id, delivered.course_id) == (
        OutboxStatus.DELIVERED,
        "wid-1",
        "wid-course",
    )
    assert outbox.claim_next(NOW + timedelta(days=1), LEASE) is None


def test_a_claim_takes_from_the_first_account_given_that_has_a_due_entry(url: str) -> None:
    outbox = SqlCompletionOutbox(create_engine_for(url))
    outbox.enqueue("acme", a_completion("E1"), NOW)
    outbox.enqueue("acme", a_completion("E2"), NOW)
    globex, _ = outbox.enqueue("globex", a_completion("E3"), NOW + timedelta(seconds=1))
    outbox.enqueue("initech", a_completion("E4"), NOW + timedelta(days=1))  # not due yet

    claimed = outbox.claim_next(NOW + timedelta(seconds=1), LEASE, accounts=["initech", "globex", "acme"])

    assert claimed is not None
    assert claimed.id == globex.id
    assert outbox.claim_next(NOW + timedelta(seconds=1), LEASE, accounts=["initech", "globex"]) is None
    assert outbox.claim_next(NOW + timedelta(seconds=1), LEASE, accounts=[]) is None
    again = outbox.claim_next(NOW + timedelta(seconds=1), LEASE)
    assert again is not None
    assert again.account == "acme"


def test_entries_pending_for_other_accounts_are_counted_by_account(url: str) -> None:
    outbox = SqlCompletionOutbox(create_engine_for(url))
    outbox.enqueue("acme", a_completion("E1"), NOW)
    outbox.enqueue("globex", a_completion("E2"), NOW)
    outbox.enqueue("globex", a_completion("E3"), NOW)
    delivered, _ = outbox.enqueue("initech", a_completion("E4"), NOW)
    outbox.mark_delivered(delivered.id, "wid-4", "wid-course", NOW)

    assert outbox.pending_of_other_accounts(["acme"]) == {"globex": 2}
    assert outbox.pending_of_other_accounts(["acme", "globex"]) == {}


def test_a_ledger_made_before_the_claim_index_gains_it(url: str) -> None:
    engine = create_engine_for(url)
    SqlCompletionOutbox(engine)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("DROP INDEX ix_completion_outbox_account_due"))

    SqlCompletionOutbox(create_engine_for(url))

    indexes = {index["name"] for index in sqlalchemy.inspect(create_engine_for(url)).get_indexes("completion_outbox")}
    assert "ix_completion_outbox_account_due" in indexes


def test_a_ledger_made_before_the_course_column_gains_it_and_keeps_its_entries(url: str) -> None:
    engine = create_engine_for(url)
    entry, _ = SqlCompletionOutbox(engine).enqueue("acme", a_completion(), NOW)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("ALTER TABLE completion_outbox DROP COLUMN course_id"))

    outbox = SqlCompletionOutbox(create_engine_for(url))
    outbox.mark_delivered(entry.id, "wid-1", "wid-course", NOW)

    delivered = outbox.get(entry.id)
    assert delivered is not None
    assert (delivered.completion, delivered.course_id) == (a_completion(), "wid-course")


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_processes_starting_together_on_an_upgraded_ledger_each_find_the_schema_made(
    database: str, tmp_path: Path
) -> None:
    with (
        sqlite_engine(tmp_path) if database == "sqlite" else postgres_engine_in_own_schema(postgres_url_or_skip())
    ) as engine:
        outbox = SqlCompletionOutbox(engine)
        outbox.enqueue_many([("acme", a_completion(f"E{n}")) for n in range(5000)], NOW)
        with engine.begin() as connection:
            connection.execute(sqlalchemy.text("DROP INDEX ix_completion_outbox_account_due"))
        url = engine.url.render_as_string(hide_password=False)
        starting = threading.Barrier(3)
        failures: list[BaseException] = []

        def start() -> None:
            own = create_engine_for(url)  # each "process" with its own connections
            starting.wait()
            try:
                SqlCompletionOutbox(own)
            except BaseException as failed:
                failures.append(failed)
            finally:
                own.dispose()

        starters = [threading.Thread(target=start) for _ in range(3)]
        for starter in starters:
            starter.start()
        for starter in starters:
            starter.join()

        assert failures == []
        indexes = {index["name"] for index in sqlalchemy.inspect(engine).get_indexes("completion_outbox")}
        assert "ix_completion_outbox_account_due" in indexes


def test_retry_later_keeps_an_entry_pending_until_its_time(url: str) -> None:
    outbox = SqlCompletionOutbox(create_engine_for(url))
    entry, _ = outbox.enqueue("acme", a_completion(), NOW)
    outbox.claim_next(NOW, LEASE)

    outbox.retry_later(entry.id, "down", NOW, NOW + timedelta(seconds=5))

    assert outbox.claim_next(NOW + timedelta(seconds=4), LEASE) is None
    again = outbox.claim_next(NOW + timedelta(seconds=5), LEASE)
    assert again is not None
    assert (again.error, again.attempts) == ("down", 2)


def test_entries_are_claimed_oldest_due_first(url: str) -> None:
    outbox = SqlCompletionOutbox(create_engine_for(url))
    ids = [outbox.enqueue("acme", a_completion(f"E{n}"), NOW + timedelta(seconds=n))[0].id for n in range(3)]

    claimed = [outbox.claim_next(NOW + timedelta(minutes=1), LEASE) for _ in range(4)]

    assert [c.id if c else None for c in claimed] == [*ids, None]


def test_settling_an_unknown_entry_raises(url: str) -> None:
    outbox = SqlCompletionOutbox(create_engine_for(url))

    with pytest.raises(LedgerStorageError, match="no entry 7"):
        outbox.mark_failed(7, "nope", NOW)


@pytest.fixture(params=["sqlite", "postgres"])
def outbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlCompletionOutbox]:
    if request.param == "sqlite":
        with sqlite_engine(tmp_path) as engine:
            yield SqlCompletionOutbox(engine)
    else:
        with postgres_engine_in_own_schema(postgres_url_or_skip()) as engine:
            yield SqlCompletionOutbox(engine)


def test_a_batch_is_enqueued_in_order_the_first_of_a_key_added_and_the_rest_finding_it(
    outbox: SqlCompletionOutbox,
) -> None:
    existing, _ = outbox.enqueue("acme", a_completion("E0"), NOW)
    paris = timezone(timedelta(hours=1))
    same_instant_elsewhere = a_completion("E1", NOW.astimezone(paris))

    results = outbox.enqueue_many(
        [
            ("acme", a_completion("E1")),
            ("acme", a_completion("E0")),
            ("acme", same_instant_elsewhere),
            ("globex", a_completion("E1")),
        ],
        NOW,
    )

    (e1, e1_added), (e0, e0_added), (e1_again, again_added), (globex, globex_added) = results
    assert (e1_added, e0_added, again_added, globex_added) == (True, False, False, True)
    assert e0.id == existing.id
    assert e1_again.id == e1.id
    assert len({e1.id, e0.id, globex.id}) == 3
    for entry, _ in results:
        assert outbox.get(entry.id) == entry
    assert outbox.enqueue_many([], NOW) == []


def test_a_pair_another_claim_is_delivering_waits_until_that_claim_ends(outbox: SqlCompletionOutbox) -> None:
    first, _ = outbox.enqueue("acme", a_completion("E1", NOW - timedelta(hours=2)), NOW)
    second, _ = outbox.enqueue("acme", a_completion("E1", NOW - timedelta(hours=1)), NOW)
    other, _ = outbox.enqueue("acme", a_completion("E2"), NOW)
    elsewhere, _ = outbox.enqueue("globex", a_completion("E1"), NOW)

    claimed = [outbox.claim_next(NOW, LEASE) for _ in range(4)]

    assert [c.id if c else None for c in claimed] == [first.id, other.id, elsewhere.id, None]
    assert outbox.claim(second.id, NOW, LEASE) is None, "its pair is being delivered"
    outbox.mark_delivered(first.id, "wid-1", "wid-course", NOW)
    after = outbox.claim_next(NOW, LEASE)
    assert after is not None
    assert after.id == second.id


def test_on_postgresql_a_tenants_claim_waits_only_on_claims_of_the_same_tenant() -> None:
    with postgres_url_in_own_schema(postgres_url_or_skip()) as url:
        # A claim that would wait gives up after a second, so each outcome below is seen rather than hung on.
        parsed = sqlalchemy.make_url(url)
        options = f"{parsed.query['options']} -c lock_timeout=1000"
        waiting_a_second = create_engine_for(parsed.update_query_dict({"options": options}).render_as_string(False))
        holder = create_engine_for(url)
        try:
            outbox = SqlCompletionOutbox(waiting_a_second)
            outbox.enqueue("acme", a_completion("E1"), NOW)
            globex, _ = outbox.enqueue("globex", a_completion("E1"), NOW)
            with holder.begin() as in_progress:  # acme's claim, under way in another process
                hold_claims(in_progress, ["acme"])

                claimed = outbox.claim_next(NOW, LEASE, accounts=["globex"])
                with pytest.raises(LedgerStorageError):
                    outbox.claim_next(NOW, LEASE, accounts=["acme"])
                with pytest.raises(LedgerStorageError):
                    outbox.claim_next(NOW, LEASE)  # across every account

            assert claimed is not None
            assert claimed.id == globex.id
            assert outbox.claim_next(NOW, LEASE, accounts=["acme"]) is not None
        finally:
            waiting_a_second.dispose()
            holder.dispose()


def test_a_session_waits_for_a_pair_a_claim_outside_any_session_is_delivering(outbox: SqlCompletionOutbox) -> None:
    held, _ = outbox.enqueue("acme", a_completion("E1", NOW - timedelta(hours=2)), NOW)
    same_pair, _ = outbox.enqueue("acme", a_completion("E1", NOW - timedelta(hours=1)), NOW)
    assert outbox.claim(held.id, NOW, LEASE) is not None  # ``wlc`` pushing it by hand: a claim of no session

    assert outbox.claim_next(NOW, LEASE, accounts=["acme"], session="session-1") is None
    outbox.mark_delivered(held.id, "wid-1", "wid-course", NOW)
    after = outbox.claim_next(NOW, LEASE, accounts=["acme"], session="session-1")
    assert after is not None
    assert after.id == same_pair.id
