"""Each worker's heartbeat in the ledger's database (table ``worker_heartbeats``), for ``app.runtime.liveness``.

A worker joins under a new *lease* (a random number) for its executor id, beats every few seconds, and takes
over a worker whose beat is older than the timeout by deleting that worker's row: the deletion is guarded by the
beat it saw, so of several workers that find one dead, exactly one takes it. A worker whose beat finds its row
gone (or another lease in it) has been taken over, and knows it."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update

from adapters.storage.engine import writing
from adapters.storage.errors import storage_errors
from adapters.storage.schema import ensure_schema, worker_heartbeats

_STORE = "worker heartbeats"
_BEATS = worker_heartbeats.c


class SqlWorkerHeartbeats:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        with storage_errors(engine, "create its tables", _STORE):
            ensure_schema(engine)

    def join(self, executor_id: str, now: datetime) -> int:
        """Registers ``executor_id`` under a new lease (a random number no earlier registration had): the lease."""
        lease = secrets.randbelow(2**62) + 1
        with storage_errors(self._engine, f"register worker {executor_id}", _STORE), writing(self._engine) as db:
            replaced = db.execute(
                update(worker_heartbeats).where(_BEATS.executor_id == executor_id).values(lease=lease, beat_at=now)
            )
            if replaced.rowcount == 0:
                db.execute(insert(worker_heartbeats).values(executor_id=executor_id, lease=lease, beat_at=now))
        return lease

    def beat(self, executor_id: str, lease: int, now: datetime) -> bool:
        """Records a beat; False when the worker's row is gone or holds another lease (it was taken over)."""
        statement = (
            update(worker_heartbeats)
            .where(_BEATS.executor_id == executor_id, _BEATS.lease == lease)
            .values(beat_at=now)
        )
        with storage_errors(self._engine, f"record worker {executor_id}'s beat", _STORE), writing(self._engine) as db:
            return db.execute(statement).rowcount == 1

    def alive(self, now: datetime, timeout: timedelta) -> set[str]:
        """The workers that beat within ``timeout`` of ``now`` (those ``take_silent`` would not take)."""
        beating = select(_BEATS.executor_id).where(_BEATS.beat_at >= now - timeout)
        with storage_errors(self._engine, "list the workers alive", _STORE), self._engine.begin() as db:
            return set(db.execute(beating).scalars())

    def take_silent(self, now: datetime, timeout: timedelta) -> list[str]:
        """The workers silent for longer than ``timeout`` that this caller took over (each by exactly one)."""
        silent = select(_BEATS.executor_id, _BEATS.beat_at).where(_BEATS.beat_at < now - timeout)
        taken: list[str] = []
        with storage_errors(self._engine, "take over silent workers", _STORE), writing(self._engine) as db:
            for executor_id, beat_at in db.execute(silent).all():
                guarded = delete(worker_heartbeats).where(_BEATS.executor_id == executor_id, _BEATS.beat_at == beat_at)
                if db.execute(guarded).rowcount == 1:
                    taken.append(executor_id)
        return taken
