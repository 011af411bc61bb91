"""Which store a process keeps the budgets in: the one ``budget_url`` names, or by default the ledger's."""

from __future__ import annotations

from pathlib import Path

from adapters.budget import Priority, TenantBudget
from adapters.budget.memory import InMemoryBudgetStore
from adapters.budget.redis_store import RedisBudgetStore
from adapters.budget.sql import SqlBudgetStore, budget_url_beside
from adapters.budget.stores import open_budget_store


def test_budgets_of_a_sqlite_ledger_go_to_a_file_of_their_own_beside_it(tmp_path: Path) -> None:
    ledger = tmp_path / "data" / "wlc-ledger.sqlite3"

    store = open_budget_store(None, f"sqlite:///{ledger}")
    TenantBudget(store, "acme", 5, Priority.INTERACTIVE).take()

    assert isinstance(store, SqlBudgetStore)
    assert (tmp_path / "data" / "wlc-ledger-budget.sqlite3").is_file()
    assert not ledger.exists()


def test_budgets_of_a_postgresql_ledger_go_to_its_own_database() -> None:
    assert budget_url_beside("postgresql+psycopg://wlc@db.internal/wlc") == "postgresql+psycopg://wlc@db.internal/wlc"


def test_budgets_of_a_ledger_in_memory_stay_in_the_process() -> None:
    assert isinstance(open_budget_store(None, "sqlite://"), InMemoryBudgetStore)
    assert isinstance(open_budget_store(None, "sqlite:///:memory:"), InMemoryBudgetStore)


def test_a_named_store_is_used_whatever_the_ledger(tmp_path: Path) -> None:
    redis = open_budget_store("redis://127.0.0.1:1/0", "sqlite://")
    sql = open_budget_store(f"sqlite:///{tmp_path / 'budgets.sqlite3'}", "sqlite://")

    assert isinstance(redis, RedisBudgetStore)
    assert isinstance(sql, SqlBudgetStore)


def test_the_file_beside_a_ledger_keeps_its_directory_and_suffix() -> None:
    assert budget_url_beside("sqlite:////var/lib/wlc/ledger.db") == "sqlite:////var/lib/wlc/ledger-budget.db"
    assert budget_url_beside("sqlite:///wlc-ledger.sqlite3") == "sqlite:///wlc-ledger-budget.sqlite3"
