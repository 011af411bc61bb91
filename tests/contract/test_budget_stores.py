"""One suite, every store: each decides as ``rule.decide`` does, atomically, on its own clock. The pace is a minute
a slot, so that every decision below is exact whatever the machine's load (two asks of a test are seconds apart at
worst, never a gap)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from adapters.budget import BudgetUnavailable, Pace, Priority
from adapters.budget.redis_store import RedisBudgetStore
from adapters.budget.rule import MICROS, Deferred, Granted
from adapters.budget.sql import SqlBudgetStore, budget_engine
from adapters.budget.store import BudgetStore
from adapters.storage.engine import each_statement_committed, writing_on_the_driver
from tests.contract.budget_fixtures import STORES, a_tenant, budget_url, open_store
from tests.contract.storage_fixtures import postgres_url_in_own_schema, postgres_url_or_skip

PACE = Pace(gap=60 * MICROS, window=90 * MICROS)
BACKGROUND, INTERACTIVE = Priority.BACKGROUND, Priority.INTERACTIVE


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BudgetStore]:
    with budget_url(request.param, tmp_path) as url:
        yield open_store(url)


def test_a_tenant_never_asked_for_starts_at_once(store: BudgetStore) -> None:
    decision = store.take(a_tenant(), PACE, BACKGROUND)

    assert isinstance(decision, Granted)
    assert decision.at == decision.now


def test_background_takes_the_next_slot_a_gap_on_and_no_further_ahead(store: BudgetStore) -> None:
    tenant = a_tenant()

    first, second, third = (store.take(tenant, PACE, BACKGROUND) for _ in range(3))

    assert isinstance(first, Granted)
    assert isinstance(second, Granted)
    assert second.at == first.at + PACE.gap
    assert third == Deferred(third.now, second.at)


def test_interactive_callers_queue_at_once_and_hold_the_budget_a_window_after_their_last_slot(
    store: BudgetStore,
) -> None:
    tenant = a_tenant()

    asked = [store.take(tenant, PACE, INTERACTIVE) for _ in range(3)]
    background = store.take(tenant, PACE, BACKGROUND)

    assert all(isinstance(d, Granted) for d in asked)
    slots = [d.at for d in asked if isinstance(d, Granted)]
    assert slots == [slots[0], slots[0] + PACE.gap, slots[0] + 2 * PACE.gap]
    assert background == Deferred(background.now, slots[-1] + PACE.window - PACE.gap)


def test_an_interactive_caller_waits_behind_at_most_the_one_background_slot_taken_ahead(store: BudgetStore) -> None:
    tenant = a_tenant()
    store.take(tenant, PACE, BACKGROUND)
    ahead = store.take(tenant, PACE, BACKGROUND)

    interactive = store.take(tenant, PACE, INTERACTIVE)

    assert isinstance(ahead, Granted)
    assert isinstance(interactive, Granted)
    assert interactive.at == ahead.at + PACE.gap


def test_a_request_written_late_moves_the_slots_not_yet_handed_out_back_as_far(store: BudgetStore) -> None:
    tenant = a_tenant()
    first = store.take(tenant, PACE, BACKGROUND)
    ahead = store.take(tenant, PACE, BACKGROUND)
    assert isinstance(first, Granted)
    assert isinstance(ahead, Granted)

    store.sent_late(tenant, first.at, 7 * MICROS)
    interactive = store.take(tenant, PACE, INTERACTIVE)

    assert isinstance(interactive, Granted)
    assert interactive.at == ahead.at + PACE.gap + 7 * MICROS


def test_a_late_request_of_a_tenant_forgotten_since_puts_its_next_slot_a_gap_after_it_was_sent(
    store: BudgetStore,
) -> None:
    tenant = a_tenant()
    now = store.take(a_tenant(), PACE, INTERACTIVE).now

    store.sent_late(tenant, now, 7 * MICROS)
    interactive = store.take(tenant, PACE, INTERACTIVE)

    assert isinstance(interactive, Granted)
    assert interactive.at == now + 7 * MICROS + PACE.gap


def test_tenants_have_budgets_of_their_own(store: BudgetStore) -> None:
    busy, other = a_tenant(), a_tenant()
    store.take(busy, PACE, INTERACTIVE)

    decision = store.take(other, PACE, BACKGROUND)

    assert isinstance(decision, Granted)
    assert decision.at == decision.now


def test_redis_that_does_not_answer_fails_the_slot_as_unavailable() -> None:
    store = RedisBudgetStore.from_url("redis://127.0.0.1:1/0")

    with pytest.raises(BudgetUnavailable, match="Redis failed: ConnectionError"):
        store.take(a_tenant(), PACE, BACKGROUND)


def test_a_database_that_does_not_answer_fails_as_unavailable_without_its_password() -> None:
    engine = budget_engine("postgresql+psycopg://wlc:s3cr3t-pa55@127.0.0.1:1/wlc?connect_timeout=2")

    store = SqlBudgetStore(engine)

    with pytest.raises(BudgetUnavailable, match=r"at postgresql\+psycopg://wlc:\*\*\*@127.0.0.1:1/wlc") as refused:
        store.take(a_tenant(), PACE, BACKGROUND)

    assert "s3cr3t" not in str(refused.value)


def test_a_statement_committed_on_its_own_leaves_its_pooled_connection_to_transactions() -> None:
    """The PostgreSQL store takes a slot in one statement committed as it runs; the connection it used, back in the
    pool, still holds the next caller's statements in a transaction that rolls back whole."""
    with postgres_url_in_own_schema(postgres_url_or_skip()) as url:
        engine = create_engine(url, pool_size=1, max_overflow=0)
        try:
            with each_statement_committed(engine) as cursor:
                cursor.execute("CREATE TABLE kept (n integer)")
            with pytest.raises(ZeroDivisionError):
                _insert_then_fail(engine)
            with each_statement_committed(engine) as cursor:
                cursor.execute("SELECT count(*) FROM kept")
                assert cursor.fetchone() == (0,)
        finally:
            engine.dispose()


def _insert_then_fail(engine: Engine) -> None:
    with writing_on_the_driver(engine) as cursor:
        cursor.execute("INSERT INTO kept VALUES (1)")
        raise ZeroDivisionError
