"""``TokenHealthRecord`` on the ledger's database (table ``oauth_token_health``): when each tenant's refresh token
was last granted and last refused, written by every process that refreshes, read by the status. Kept apart from
the refresh tokens themselves (``refresh_tokens``): this table holds no secret."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from adapters.storage.engine import writing
from adapters.storage.errors import storage_errors
from adapters.storage.schema import ensure_schema, oauth_token_health
from domain.ports.token_health import TokenHealthRecord
from domain.tenant_status import TokenStatus

_STORE = "token health record"


class SqlTokenHealthRecord(TokenHealthRecord):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        with storage_errors(engine, "create its tables", _STORE):
            ensure_schema(engine)

    def granted(self, tenant: str, at: datetime) -> None:
        self._later(tenant, {"last_success_at": at}, "last_success_at", f"record {tenant}'s token grant")

    def refused(self, tenant: str, at: datetime, reason: str) -> None:
        values = {"last_refusal_at": at, "last_refusal": reason}
        self._later(tenant, values, "last_refusal_at", f"record {tenant}'s token refusal")

    def _later(self, tenant: str, values: dict[str, object], moment: str, doing: str) -> None:
        """Inserts the tenant's row, or updates it where ``moment`` is later than the one held."""
        insert = postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        statement = insert(oauth_token_health).values(tenant=tenant, **values)
        held = oauth_token_health.c[moment]
        statement = statement.on_conflict_do_update(
            index_elements=["tenant"],
            set_={name: statement.excluded[name] for name in values},
            where=held.is_(None) | (held < statement.excluded[moment]),
        )
        with storage_errors(self._engine, doing, _STORE), writing(self._engine) as connection:
            connection.execute(statement)

    def statuses(self, tenants: Collection[str]) -> dict[str, TokenStatus]:
        if not tenants:
            return {}
        query = select(oauth_token_health).where(oauth_token_health.c.tenant.in_(sorted(tenants)))
        with storage_errors(self._engine, "read the token health", _STORE), self._engine.begin() as connection:
            return {
                row.tenant: TokenStatus(row.last_success_at, row.last_refusal_at, row.last_refusal)
                for row in connection.execute(query)
            }
