"""A process cut off from PostgreSQL in the middle of a transaction (its connection still open, nothing reaching
the server, as in a network partition): the rows it locked must not stay locked for as long as the network takes
to give up on it (minutes), or every other process wanting them waits as long. With ``idle_in_transaction`` the
server ends such a connection and releases its locks. PostgreSQL only (skipped where none answers)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from adapters.budget import Pace, Priority
from adapters.budget.rule import MICROS, Granted
from adapters.budget.sql import SqlBudgetStore, budget_engine
from adapters.storage.engine import writing
from tests.contract.storage_fixtures import postgres_url_in_own_schema, postgres_url_or_skip
from tests.reliability.tcp_proxy import TcpProxy
from tests.waiting import until

pytestmark = pytest.mark.postgres

PACE = Pace(gap=MICROS // 100, window=MICROS)


def test_a_budget_row_locked_by_a_process_cut_off_mid_transaction_is_free_once_its_idle_timeout_passes() -> None:
    with postgres_url_in_own_schema(postgres_url_or_skip()) as url, TcpProxy.for_url(url) as proxy:
        cut_off = budget_engine(proxy.url_through(url), idle_in_transaction=0.5)
        other = SqlBudgetStore(budget_engine(url, idle_in_transaction=0.5))
        other.take("t", PACE, Priority.BACKGROUND)  # the table and the tenant's row
        locked, granted, ended = threading.Event(), list[Granted](), list[str]()

        def hold_the_row_and_be_cut_off() -> None:
            try:
                with writing(cut_off) as connection:
                    connection.execute(text("SELECT * FROM request_budgets WHERE tenant = 't' FOR UPDATE"))
                    proxy.black_hole()
                    locked.set()
            except DBAPIError as error:  # its commit arrives once healed, on a connection the server ended
                ended.append(type(error.orig).__name__)

        def take() -> None:
            decision = other.take("t", PACE, Priority.BACKGROUND)
            assert isinstance(decision, Granted)
            granted.append(decision)

        holder = threading.Thread(target=hold_the_row_and_be_cut_off, daemon=True)
        holder.start()
        assert locked.wait(30)
        threading.Thread(target=take, daemon=True).start()
        try:
            until(lambda: granted, "a slot for another process, once the server ends the cut-off connection", 30)
        finally:
            proxy.heal()
            holder.join(30)
            cut_off.dispose()
        assert ended == ["IdleInTransactionSessionTimeout"]
