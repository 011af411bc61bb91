"""The connector's tables. One ``MetaData`` for every table the storage adapter keeps (the sync ledger's runs
and actions, the delivery ledger's deliveries and feed cursors), so one ``create_schema`` creates them all."""

from __future__ import annotations

import threading
import weakref
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    DateTime,
    Dialect,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    text,
)
from sqlalchemy.types import TypeDecorator

from adapters.storage.engine import writing


class UtcDateTime(TypeDecorator[datetime]):
    """An aware timestamp stored in UTC and read back aware. SQLite keeps no offset, so a naive value read
    from it is UTC by construction."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"timestamp {value.isoformat()} carries no time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("tenant", String(200), nullable=False, index=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    Column("outcome", String(32), nullable=False),
    Column("counts", JSON, nullable=False),
    Column("message", Text, nullable=False),
    # The operator who approved or rejected the plan the removal guard blocked.
    Column("decided_by", String(200)),
    # A tenant's status reads the latest run of each kind and outcome: one index seek each, however many runs.
    Index("ix_runs_latest", "tenant", "kind", "outcome", "id"),
    # Without AUTOINCREMENT SQLite may hand out a deleted row's id again; run ids must only increase.
    sqlite_autoincrement=True,
)

run_actions = Table(
    "run_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("subject", Text, nullable=False),
    Column("why", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("result", String(32), nullable=False),
    Column("error", Text),
    # The action as data, where it is read back: a blocked plan's actions, a rejected row's number and field.
    Column("detail", JSON),
    Column("approved_by", String(200)),
    UniqueConstraint("run_id", "seq"),
)

deliveries = Table(
    "deliveries",
    metadata,
    # The surrogate key keeps an item in the place of its first delivery when a later one replaces it.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("item_id", Text, nullable=False),
    Column("payload_hash", String(128), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("workday_reference", Text),
    Column("message", Text),
    # The run that made the delivery, in the sync ledger's ``runs``; not a foreign key, so the delivery ledger
    # works on its own (as its port and its fake do) and a run's deletion never loses what Workday holds.
    Column("run_id", Integer, nullable=False),
    UniqueConstraint("tenant", "kind", "item_id", name="uq_deliveries_item"),
)

feed_cursors = Table(
    "feed_cursors",
    metadata,
    Column("tenant", String(200), primary_key=True),
    Column("source", String(200), primary_key=True),
    Column("cursor", Text, nullable=False),
)


api_keys = Table(
    "api_keys",
    metadata,
    # The public half of a key (``wlc_<id>_<secret>``): found by it, then the secret's hash is compared.
    Column("id", String(32), primary_key=True),
    Column("key_hash", String(64), nullable=False),
    Column("accounts", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime),
    Column("revoked_at", UtcDateTime),
    # "admin" for a provider-admin key (the /admin API, no tenant's endpoints); NULL for a tenant key, as every
    # key made before scopes was.
    Column("scope", String(16)),
)

completion_outbox = Table(
    "completion_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account", String(200), nullable=False),
    Column("learner_id", String(200), nullable=False),
    Column("reference", String(400), nullable=False),
    Column("completed_at", UtcDateTime, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("claimed_until", UtcDateTime),
    # The tenant session holding the claim (its workflow id), if a session does: resumed on another worker after
    # its own died, the session takes its claims again at once instead of waiting out their lease.
    Column("claimed_by", String(200)),
    Column("enrollment_id", Text),
    # The Workday ID of the course it was delivered to: the course stays the same when its reference moves.
    Column("course_id", Text),
    Column("error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # The same completion posted twice is one entry: the idempotency key of POST .../completions.
    UniqueConstraint("account", "learner_id", "reference", "completed_at", name="uq_completion_outbox_item"),
    # The claim's walk: an account's pending entries in the order they fall due, so it stops at the first it may
    # take instead of sorting the backlog, or walking another account's, while it holds the write lock.
    Index("ix_completion_outbox_account_due", "status", "account", "next_attempt_at", "id"),
    # A tenant's status: its latest delivery and latest refusal, one index seek each, however long its history.
    Index("ix_completion_outbox_account_settled", "account", "status", "updated_at"),
    # Outbox ids are handed to API callers; SQLite must never reuse a deleted row's id.
    sqlite_autoincrement=True,
)


oauth_refresh_tokens = Table(
    "oauth_refresh_tokens",
    metadata,
    # The latest refresh token of a tenant that rotates them, for every process on this ledger.
    Column("tenant", String(200), primary_key=True),
    # SHA-256 of the configured token this one descends from: a token newly configured supersedes it.
    Column("configured_digest", String(64), nullable=False),
    Column("token", Text, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # True when ``token`` is sealed (encrypted with the ledger's secret keys); NULL for a token an earlier
    # version kept in the clear, which is sealed at the next start that has a key.
    Column("sealed", Boolean),
)


tenants = Table(
    "tenants",
    metadata,
    Column("name", String(64), primary_key=True),
    # Every setting of the tenant but its secrets, as ``app.settings.TenantSettings`` reads them.
    Column("settings", JSON, nullable=False),
    # Each secret's dotted path to its sealed text: never a secret in the clear.
    Column("secrets", JSON, nullable=False),
    Column("origin", String(16), nullable=False),
    # The digest of the configuration file's copy when it was last imported.
    Column("source_digest", String(64)),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)


oauth_token_health = Table(
    "oauth_token_health",
    metadata,
    # When Workday last granted and last refused each tenant's refresh token; never the token itself.
    Column("tenant", String(200), primary_key=True),
    Column("last_success_at", UtcDateTime),
    Column("last_refusal_at", UtcDateTime),
    Column("last_refusal", Text),
)


alert_incidents = Table(
    "alert_incidents",
    metadata,
    # The incidents alerts are about: open, or cleared with a recovery notice still owed (domain.alerts).
    Column("key", String(500), primary_key=True),
    Column("tenant", String(200), nullable=False),
    Column("condition", String(32), nullable=False),
    Column("kind", String(32)),
    Column("summary", Text, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("alerted", JSON, nullable=False),
    Column("cleared_at", UtcDateTime),
    Column("recovered", JSON, nullable=False),
    Column("claimed_until", UtcDateTime),
)


server_secrets = Table(
    "server_secrets",
    metadata,
    # Secrets the server makes for itself (the console's session key), sealed by the tenants' secret keys.
    Column("name", String(100), primary_key=True),
    Column("sealed", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)


worker_heartbeats = Table(
    "worker_heartbeats",
    metadata,
    # Each running worker's last beat (app.runtime.liveness): a worker silent past the timeout is taken over.
    Column("executor_id", String(200), primary_key=True),
    Column("lease", BigInteger, nullable=False),
    Column("beat_at", UtcDateTime, nullable=False),
)


_SCHEMA_LOCK = 0x776C635F736368
"""The PostgreSQL advisory lock that processes creating the schema take turns on."""


_MADE: weakref.WeakSet[Engine] = weakref.WeakSet()
_MADE_LOCK = threading.Lock()


def ensure_schema(engine: Engine) -> None:
    """``create_schema``, once per engine in this process: what each adapter calls as it is made. A tenant's
    adapters are made per tenant, and each check is some fifty statements under a lock every process on the
    database takes in turn; a worker starting the sessions of hundreds of tenants spent its time there."""
    with _MADE_LOCK:
        if engine in _MADE:
            return
    create_schema(engine)
    with _MADE_LOCK:
        _MADE.add(engine)


def create_schema(engine: Engine) -> None:
    """Creates every missing table, and every missing column and index of a table that exists (a ledger made by
    an earlier version gains the nullable columns and the indexes added since); what exists is left as it is, so
    calling it again is harmless. Columns are only ever added, nullable, so an older version still reads and
    writes a ledger a newer one has extended.

    Processes starting together on one ledger (``wlc serve``'s and ``wlc worker``) take turns, each checking
    and creating in one transaction: SQLite's write lock is taken before the first check, and on PostgreSQL an
    advisory lock, so none fails on a table or index another has just made. On PostgreSQL an index added to a
    large existing table holds up writes to it while it is built, once, at the first start after an upgrade."""
    with writing(engine) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        metadata.create_all(connection)
        _add_missing_columns(connection)
        # Superseded by ix_completion_outbox_account_due: on a ledger that has it, each write would keep it up.
        connection.execute(text("DROP INDEX IF EXISTS ix_completion_outbox_due"))
        for table in metadata.sorted_tables:
            for index in table.indexes:
                index.create(connection, checkfirst=True)


def _add_missing_columns(connection: Connection) -> None:
    existing = inspect(connection)
    preparer = connection.dialect.identifier_preparer
    for table in metadata.sorted_tables:
        present = {column["name"] for column in existing.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable:
                raise RuntimeError(
                    f"the ledger's table {table.name} lacks the column {column.name}, which must hold a value"
                )
            kind = column.type.compile(dialect=connection.dialect)
            connection.execute(
                text(f"ALTER TABLE {preparer.format_table(table)} ADD COLUMN {preparer.format_column(column)} {kind}")
            )
