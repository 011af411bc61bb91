"""The sync ledger in a SQL database (SQLite or PostgreSQL), with SQLAlchemy Core."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, exists, func, insert, select, union_all, update
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause

from adapters.storage.engine import writing
from adapters.storage.errors import LedgerStorageError, UnknownRun, storage_errors
from adapters.storage.named import names_table
from adapters.storage.schema import ensure_schema, run_actions, runs
from domain.ports.sync_ledger import SyncLedger
from domain.runs import ActionRecord, ActionResult, Run, RunKind, RunOutcome


class SqlSyncLedger(SyncLedger):
    """The ledger in ``engine``'s database; build the engine with ``create_engine_for`` so that SQLite is
    durable. Constructing the ledger creates any missing table (``create_schema``). Each call is one
    transaction, committed before it returns; any storage failure raises ``LedgerStorageError``, a
    ``LedgerUnavailable``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        with storage_errors(engine, "create its tables"):
            ensure_schema(engine)

    def __repr__(self) -> str:
        return f"SqlSyncLedger({self._engine.url.render_as_string(hide_password=True)!r})"

    def start_run(self, kind: RunKind, tenant: str, at: datetime) -> Run:
        values: dict[str, object] = {
            "kind": kind.value,
            "tenant": tenant,
            "started_at": at,
            "outcome": RunOutcome.RUNNING.value,
            "counts": {},
            "message": "",
        }
        with storage_errors(self._engine, "start a run"), writing(self._engine) as connection:
            run_id = connection.execute(insert(runs).values(values).returning(runs.c.id)).scalar_one()
            return self._run_in(connection, run_id)

    def record_actions(self, run_id: int, actions: Sequence[ActionRecord]) -> None:
        with storage_errors(self._engine, f"record actions for run {run_id}"), writing(self._engine) as connection:
            self._known(connection, run_id)
            last = connection.execute(
                select(func.coalesce(func.max(run_actions.c.seq), 0)).where(run_actions.c.run_id == run_id)
            ).scalar_one()
            if actions:
                connection.execute(
                    insert(run_actions),
                    [_action_row(run_id, last + offset, action) for offset, action in enumerate(actions, start=1)],
                )

    def finish_run(
        self, run_id: int, outcome: RunOutcome, at: datetime, counts: Mapping[str, int], message: str = ""
    ) -> Run:
        with storage_errors(self._engine, f"finish run {run_id}"), writing(self._engine) as connection:
            self._known(connection, run_id)
            connection.execute(
                update(runs)
                .where(runs.c.id == run_id)
                .values(outcome=outcome.value, finished_at=at, counts=dict(counts), message=message)
            )
            return self._run_in(connection, run_id)

    def runs(self, limit: int = 20, tenant: str | None = None, kind: RunKind | None = None) -> list[Run]:
        query = select(runs).order_by(runs.c.id.desc()).limit(limit)
        if tenant is not None:
            query = query.where(runs.c.tenant == tenant)
        if kind is not None:
            query = query.where(runs.c.kind == kind.value)
        with storage_errors(self._engine, "list runs"), self._engine.begin() as connection:
            return [_run(row) for row in connection.execute(query)]

    def run(self, run_id: int) -> Run | None:
        with storage_errors(self._engine, f"read run {run_id}"), self._engine.begin() as connection:
            row = connection.execute(select(runs).where(runs.c.id == run_id)).one_or_none()
        return None if row is None else _run(row)

    def actions(self, run_id: int) -> list[ActionRecord]:
        query = select(run_actions).where(run_actions.c.run_id == run_id).order_by(run_actions.c.seq)
        with storage_errors(self._engine, f"read the actions of run {run_id}"), self._engine.begin() as connection:
            return [_action(row) for row in connection.execute(query)]

    def latest_runs(self, tenants: Collection[str] | None = None) -> list[Run]:
        """One statement: for each tenant, kind and outcome, the greatest run id through ``ix_runs_latest`` (an
        index seek each), then those runs. Without ``tenants``, the tenants are every one the ledger has seen."""
        if tenants is not None and not tenants:
            return []
        names: FromClause
        name: ColumnElement[str]
        if tenants is None:
            seen = select(runs.c.tenant.label("name")).distinct().subquery("names")
            names, name = seen, seen.c.name
        else:
            names, name = names_table(self._engine.dialect.name, tenants)
        latest = runs.alias("latest")
        ended = [outcome for outcome in RunOutcome if outcome is not RunOutcome.RUNNING]
        seeks = [
            select(
                select(func.max(latest.c.id))
                .where(latest.c.tenant == name, latest.c.kind == kind.value, latest.c.outcome == outcome.value)
                .scalar_subquery()
            ).select_from(names)
            for kind in RunKind
            for outcome in ended
        ]
        query = select(runs).where(runs.c.id.in_(union_all(*seeks))).order_by(runs.c.id)
        with storage_errors(self._engine, "read the latest runs"), self._engine.begin() as connection:
            return [_run(row) for row in connection.execute(query)]

    def decide_blocked(self, run_id: int, outcome: RunOutcome, by: str, at: datetime, message: str) -> Run | None:
        later = runs.alias("later")
        statement = (
            update(runs)
            .where(
                runs.c.id == run_id,
                runs.c.outcome == RunOutcome.BLOCKED.value,
                ~exists().where(later.c.tenant == runs.c.tenant, later.c.kind == runs.c.kind, later.c.id > runs.c.id),
            )
            .values(outcome=outcome.value, decided_by=by, finished_at=at, message=message)
        )
        with storage_errors(self._engine, f"decide run {run_id}"), writing(self._engine) as connection:
            if connection.execute(statement).rowcount != 1:
                return None
            return self._run_in(connection, run_id)

    def replace_actions(self, run_id: int, replacements: Mapping[int, ActionRecord]) -> None:
        with storage_errors(self._engine, f"replace actions of run {run_id}"), writing(self._engine) as connection:
            self._known(connection, run_id)
            for position, action in replacements.items():
                values = _action_row(run_id, position + 1, action)
                changed = connection.execute(
                    update(run_actions)
                    .where(run_actions.c.run_id == run_id, run_actions.c.seq == position + 1)
                    .values(values)
                ).rowcount
                if changed != 1:
                    raise LedgerStorageError(f"run {run_id} has no action at position {position}")

    def _known(self, connection: Connection, run_id: int) -> None:
        if connection.execute(select(runs.c.id).where(runs.c.id == run_id)).first() is None:
            raise UnknownRun(run_id)

    def _run_in(self, connection: Connection, run_id: int) -> Run:
        return _run(connection.execute(select(runs).where(runs.c.id == run_id)).one())


def _action_row(run_id: int, seq: int, action: ActionRecord) -> dict[str, object]:
    return {
        "run_id": run_id,
        "seq": seq,
        "kind": action.kind,
        "subject": action.subject,
        "why": action.why,
        "at": action.at,
        "result": action.result.value,
        "error": action.error,
        "detail": None if action.detail is None else dict(action.detail),
        "approved_by": action.approved_by,
    }


def _run(row: Row[Any]) -> Run:
    return Run(
        id=row.id,
        kind=RunKind(row.kind),
        tenant=row.tenant,
        started_at=row.started_at,
        outcome=RunOutcome(row.outcome),
        finished_at=row.finished_at,
        counts={str(name): int(count) for name, count in row.counts.items()},
        message=row.message,
        decided_by=row.decided_by,
    )


def _action(row: Row[Any]) -> ActionRecord:
    return ActionRecord(
        kind=row.kind,
        subject=row.subject,
        why=row.why,
        at=row.at,
        result=ActionResult(row.result),
        error=row.error,
        detail=row.detail,
        approved_by=row.approved_by,
    )
