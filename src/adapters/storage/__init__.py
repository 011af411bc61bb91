"""The storage adapter: the sync ledger and the delivery ledger in a SQL database (SQLite file or
PostgreSQL)."""

from adapters.storage.delivery_ledger import SqlDeliveryLedger
from adapters.storage.engine import create_engine_for
from adapters.storage.errors import LedgerStorageError, UnknownRun
from adapters.storage.schema import create_schema
from adapters.storage.sync_ledger import SqlSyncLedger

__all__ = [
    "LedgerStorageError",
    "SqlDeliveryLedger",
    "SqlSyncLedger",
    "UnknownRun",
    "create_engine_for",
    "create_schema",
]
