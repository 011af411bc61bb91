"""The budget store a setting names."""

from __future__ import annotations

from adapters.budget.memory import InMemoryBudgetStore
from adapters.budget.store import BudgetStore

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def open_budget_store(budget_url: str | None, ledger_url: str, idle_in_transaction: float | None = None) -> BudgetStore:
    """The store at ``budget_url``: Redis for a ``redis://``, ``rediss://`` or ``unix://`` URL, else the SQL database
    it names, on connections of the budgets' own (``sql.budget_engine``, which takes ``idle_in_transaction``).
    Without one, the ledger's (``sql.budget_url_beside``): its database on PostgreSQL, a file beside a SQLite
    ledger, and this process's memory for a ledger in memory. Raises ``LedgerStorageError`` for a database URL
    that cannot be used, and ``BudgetUnavailable`` when the database cannot make its table."""
    from adapters.budget.sql import SqlBudgetStore, budget_engine, budget_url_beside

    if budget_url is not None and budget_url.startswith(REDIS_SCHEMES):
        from adapters.budget.redis_store import RedisBudgetStore

        return RedisBudgetStore.from_url(budget_url)
    url = budget_url if budget_url is not None else budget_url_beside(ledger_url)
    if url is None:
        return InMemoryBudgetStore()
    return SqlBudgetStore(budget_engine(url, idle_in_transaction))
