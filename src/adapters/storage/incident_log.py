"""``IncidentLog`` on the ledger's database (table ``alert_incidents``): each change is one transaction, taken
under SQLite's write lock or a PostgreSQL row lock, so processes evaluating alerts at once open an incident once,
clear it once, and never send one notice twice at the same time."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from adapters.storage.engine import writing
from adapters.storage.errors import LedgerStorageError, storage_errors
from adapters.storage.schema import alert_incidents, ensure_schema
from domain.alerts import Condition, HeldIncident, Incident, NoticeKind
from domain.ports.incident_log import IncidentLog
from domain.runs import RunKind

_STORE = "incident log"


class SqlIncidentLog(IncidentLog):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        with storage_errors(engine, "create its tables", _STORE):
            ensure_schema(engine)

    def held(self) -> list[HeldIncident]:
        query = select(alert_incidents).order_by(alert_incidents.c.opened_at, alert_incidents.c.key)
        with storage_errors(self._engine, "list the incidents", _STORE), self._engine.begin() as connection:
            return [_held(row) for row in connection.execute(query)]

    def open(self, incident: Incident) -> bool:
        insert = postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        # A row of the key inserted meanwhile by another process makes this insert do nothing, not fail.
        adding = (
            insert(alert_incidents)
            .values(_row(incident))
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(alert_incidents.c.key)
        )
        with storage_errors(self._engine, f"open incident {incident.key}", _STORE), writing(self._engine) as c:
            if c.execute(adding).first() is not None:
                return True
            held = self._locked(c, incident.key)
            if held is not None and not held.is_open:
                alerted = sorted(held.alerted - held.recovered)
                c.execute(self._update(incident.key).values(alerted=alerted, cleared_at=None, recovered=[]))
            return False

    def clear(self, key: str, at: datetime) -> bool:
        with storage_errors(self._engine, f"clear incident {key}", _STORE), writing(self._engine) as connection:
            held = self._locked(connection, key)
            if held is None or not held.is_open:
                return False
            if held.alerted:
                connection.execute(self._update(key).values(cleared_at=at))
            else:
                connection.execute(delete(alert_incidents).where(alert_incidents.c.key == key))
            return True

    def claim(self, key: str, now: datetime, lease: timedelta) -> HeldIncident | None:
        claimable = self._update(key).where(
            or_(alert_incidents.c.claimed_until.is_(None), alert_incidents.c.claimed_until <= now)
        )
        with storage_errors(self._engine, f"claim incident {key}", _STORE), writing(self._engine) as connection:
            if connection.execute(claimable.values(claimed_until=now + lease)).rowcount != 1:
                return None
            return self._locked(connection, key)

    def reached(self, key: str, kind: NoticeKind, channels: Collection[str]) -> None:
        column = "alerted" if kind is NoticeKind.ALERT else "recovered"
        with storage_errors(self._engine, f"record incident {key}'s {kind}", _STORE), writing(self._engine) as c:
            held = self._locked(c, key)
            if held is None:
                return
            before = held.alerted if kind is NoticeKind.ALERT else held.recovered
            c.execute(self._update(key).values({column: sorted(before | set(channels))}))

    def release(self, key: str) -> None:
        with storage_errors(self._engine, f"release incident {key}", _STORE), writing(self._engine) as connection:
            connection.execute(self._update(key).values(claimed_until=None))

    def forget(self, key: str) -> None:
        with storage_errors(self._engine, f"forget incident {key}", _STORE), writing(self._engine) as connection:
            connection.execute(delete(alert_incidents).where(alert_incidents.c.key == key))

    def _update(self, key: str) -> Any:
        return update(alert_incidents).where(alert_incidents.c.key == key)

    def _locked(self, connection: Connection, key: str) -> HeldIncident | None:
        query = select(alert_incidents).where(alert_incidents.c.key == key).with_for_update()
        row = connection.execute(query).one_or_none()
        return None if row is None else _held(row)


def _row(incident: Incident) -> dict[str, object]:
    return {
        "key": incident.key,
        "tenant": incident.tenant,
        "condition": incident.condition.value,
        "kind": None if incident.kind is None else incident.kind.value,
        "summary": incident.summary,
        "opened_at": incident.opened_at,
        "alerted": [],
        "cleared_at": None,
        "recovered": [],
        "claimed_until": None,
    }


def _held(row: Row[Any]) -> HeldIncident:
    try:
        incident = Incident(
            row.key,
            row.tenant,
            Condition(row.condition),
            row.summary,
            row.opened_at,
            None if row.kind is None else RunKind(row.kind),
        )
    except ValueError as unreadable:
        raise LedgerStorageError(
            f"the incident log holds an incident it cannot read ({row.key}): {unreadable}"
        ) from None
    return HeldIncident(incident, frozenset(row.alerted), row.cleared_at, frozenset(row.recovered))
