"""The completion outbox: completions the HTTP API accepted, committed before the API answers, and delivered to
Workday afterwards by a worker. A process killed after answering loses nothing: the entry is on disk, and a
claim on it lapses (``lease``) so another worker, or the same one started again, delivers it."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Row,
    Select,
    String,
    Update,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import BindParameter, ColumnElement, Exists, FromClause

from adapters.storage.engine import writing
from adapters.storage.errors import LedgerStorageError, storage_errors
from adapters.storage.schema import UtcDateTime, completion_outbox, ensure_schema
from adapters.storage.upsert import check_upsert_dialect
from domain.completion_reconciliation import SentCompletion, SentState
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.outbox import OutboxEntry, OutboxStatus
from domain.ports.completion_outbox import CompletionOutbox

_STORE = "completion outbox"
_ITEM_KEY = ["account", "learner_id", "reference", "completed_at"]
_PAGE = 1000
_CLAIM_LOCK = 0x776C635F636C6169  # "wlc_clai": the advisory lock that serialises claims on PostgreSQL
_ACCOUNT_CLAIMS = 0x776C6361  # "wlca": with an account's hash, the two-key advisory lock of that account's claims


def hold_claims(connection: Connection, accounts: Sequence[str] | None) -> None:
    """On PostgreSQL, makes the claims of ``accounts`` (every account, when None) wait until ``connection``'s
    transaction ends, and waits for those in progress. The check for a live claim on the same pair must see the
    claim a racing transaction is about to commit, and a pair is of one account: a claim for one account takes
    that account's lock (and the all-accounts lock shared), so the sessions of different tenants claim at once;
    a claim across accounts takes the all-accounts lock alone. One lock for every claim made them take turns,
    every tenant's session behind every other's."""
    if accounts is not None and len(accounts) == 1:
        values = {"key": _CLAIM_LOCK, "space": _ACCOUNT_CLAIMS, "account": accounts[0]}
        connection.execute(_HOLD_ACCOUNT, values)
    else:
        connection.execute(_HOLD_EVERY_ACCOUNT, {"key": _CLAIM_LOCK})


_HOLD_ACCOUNT = text("SELECT pg_advisory_xact_lock_shared(:key), pg_advisory_xact_lock(:space, hashtext(:account))")
"""One round trip; the shared lock is taken first (PostgreSQL evaluates a select list in order), though the order
cannot deadlock: the holder of the exclusive lock takes no other."""
_HOLD_EVERY_ACCOUNT = text("SELECT pg_advisory_xact_lock(:key)")


class SqlCompletionOutbox(CompletionOutbox):
    """The outbox in ``engine``'s database (SQLite or PostgreSQL). Each call is one transaction committed before
    it returns; constructing the outbox creates any missing table; every storage failure raises
    ``LedgerStorageError``. As ``SentCompletions`` it is the record of what the provider sent."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name
        check_upsert_dialect(self._dialect)
        with storage_errors(engine, "create its tables", _STORE):
            ensure_schema(engine)

    def ping(self) -> None:
        """Raises ``LedgerStorageError`` when the database cannot be reached."""
        with storage_errors(self._engine, "answer a ping", _STORE), self._engine.begin() as connection:
            connection.execute(text("SELECT 1"))

    def enqueue(self, account: str, completion: LearningCompletion, now: datetime) -> tuple[OutboxEntry, bool]:
        """Adds the completion as a pending entry, or finds the entry already holding the same account, learner,
        course and completion time (the first payload wins). True when it was added."""
        return self.enqueue_many([(account, completion)], now)[0]

    def enqueue_many(
        self, items: Sequence[tuple[str, LearningCompletion]], now: datetime
    ) -> list[tuple[OutboxEntry, bool]]:
        """``enqueue`` for each (account, completion), in one transaction (one commit to disk for them all), in
        order: of two items with the same key in ``items``, the first is added and the second finds it."""
        if not items:
            return []
        rows = [_row(account, completion, now) for account, completion in items]
        completions = [completion for _, completion in items]
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = (
            insert(completion_outbox)
            .values(rows)
            .on_conflict_do_nothing(index_elements=_ITEM_KEY)
            .returning(*(completion_outbox.c[name] for name in ("id", *_ITEM_KEY)))
        )
        with storage_errors(self._engine, "enqueue completions", _STORE), writing(self._engine) as connection:
            added = {_key_of(row): row.id for row in connection.execute(statement)}
            found: list[tuple[OutboxEntry, bool]] = []
            first: set[tuple[object, ...]] = set()
            for row, completion in zip(rows, completions, strict=True):
                key = tuple(row[name] for name in _ITEM_KEY)
                if key in added and key not in first:
                    first.add(key)
                    found.append((_entry_from(added[key], row, completion), True))
                    continue
                match = (completion_outbox.c[name] == row[name] for name in _ITEM_KEY)
                found.append((_entry(connection.execute(select(completion_outbox).where(*match)).one()), False))
        return found

    def claim_next(
        self, now: datetime, lease: timedelta, accounts: Sequence[str] | None = None, session: str | None = None
    ) -> OutboxEntry | None:
        """The next pending entry due by ``now`` that no live claim holds, claimed until ``now + lease``: of the
        first of ``accounts`` that has one (in that order), or of any account when ``accounts`` is None. An entry
        whose learner and course another live claim is delivering waits: two deliveries of one pair at once
        could each find no enrollment and each create one. A tenant ``session`` (its workflow id) claims for
        itself, and takes its own live claims again: a session resumed after its worker died (the engine runs one
        workflow id in one place at a time, and the dead worker was fenced first) goes on with the entry it had in
        hand, which Workday may have received, rather than leave it to the lease (minutes).

        Each account's entries are found through the index in the order they fall due, so a claim costs the
        same however long another account's backlog; with ``accounts`` None the order is across accounts, which
        the index cannot give, and a claim walks the whole backlog (for tests and small outboxes). A claim is one
        statement (an update of the entry it picks, returning it), built once: building it at each claim cost more
        CPU than the database's work. On SQLite it looks first without the write lock, so an idle outbox costs a
        read, not a write that the API's commits would queue behind; on PostgreSQL the claim takes no lock that
        another tenant's claim or the API's commits wait on, and goes straight to it."""
        chosen: Sequence[str | None] = [None] if accounts is None else accounts
        values = {"now": now, "until": now + lease, "session": session}
        statements = _CLAIMS[session is not None]
        if self._dialect == "sqlite" and self._first_due(now, chosen, session) is None:
            return None
        with storage_errors(self._engine, "claim a completion", _STORE), writing(self._engine) as connection:
            if self._dialect == "postgresql":
                hold_claims(connection, accounts)
            for account in chosen:
                statement = statements.across if account is None else statements.of_account
                row = connection.execute(statement, {**values, "of_account": account}).one_or_none()
                if row is not None:
                    return _entry(row)
            return None

    def _first_due(self, now: datetime, accounts: Sequence[str | None], session: str | None) -> int | None:
        """The id of the entry ``claim_next`` would take, read without the write lock."""
        statements = _CLAIMS[session is not None]
        with storage_errors(self._engine, "look for a due completion", _STORE), self._engine.begin() as reading:
            for account in accounts:
                statement = statements.due_across if account is None else statements.due_of_account
                values = {"now": now, "session": session, "of_account": account}
                entry_id: int | None = reading.execute(statement, values).scalar_one_or_none()
                if entry_id is not None:
                    return entry_id
        return None

    def accounts_with_due(self, now: datetime) -> list[str]:
        """The accounts with a pending entry due by ``now``, in one query however many accounts there are: a walk
        of ``ix_completion_outbox_account_due`` (status, account, due time) that reads the index alone. An entry a
        live claim holds still counts: its account's session finds nothing to claim and ends."""
        query = (
            select(completion_outbox.c.account)
            .where(
                completion_outbox.c.status == OutboxStatus.PENDING.value,
                completion_outbox.c.next_attempt_at <= now,
            )
            .group_by(completion_outbox.c.account)
            .order_by(completion_outbox.c.account)
        )
        with storage_errors(self._engine, "find accounts with due completions", _STORE), self._engine.begin() as c:
            return [str(account) for account in c.execute(query).scalars()]

    def pending_of_other_accounts(self, accounts: Collection[str]) -> dict[str, int]:
        """How many entries are pending for each account not in ``accounts``."""
        query = (
            select(completion_outbox.c.account, func.count())
            .where(
                completion_outbox.c.status == OutboxStatus.PENDING.value,
                completion_outbox.c.account.not_in(sorted(accounts)),
            )
            .group_by(completion_outbox.c.account)
        )
        with storage_errors(self._engine, "count other accounts' completions", _STORE), self._engine.begin() as c:
            return {str(account): int(count) for account, count in c.execute(query).all()}

    def claim(self, entry_id: int, now: datetime, lease: timedelta) -> OutboxEntry | None:
        """Claims this entry until ``now + lease`` if it is pending and no live claim holds it or another entry of
        its learner and course (a running API worker may be delivering one); None otherwise."""
        claimable = (
            update(completion_outbox)
            .where(
                completion_outbox.c.id == entry_id,
                completion_outbox.c.status == OutboxStatus.PENDING.value,
                _claimable(completion_outbox, now, None),
                ~_same_pair_claimed(completion_outbox, now, None),
            )
            .values(claimed_until=now + lease, claimed_by=None, attempts=completion_outbox.c.attempts + 1)
        )
        with storage_errors(self._engine, f"claim entry {entry_id}", _STORE), writing(self._engine) as connection:
            if connection.execute(claimable).rowcount != 1:
                return None
            return self._get_in(connection, entry_id)

    def entries(self, account: str) -> Iterator[OutboxEntry]:
        """The account's entries in the order they were enqueued, read a page at a time."""
        after = 0
        while True:
            page = (
                select(completion_outbox)
                .where(completion_outbox.c.account == account, completion_outbox.c.id > after)
                .order_by(completion_outbox.c.id)
                .limit(_PAGE)
            )
            with storage_errors(self._engine, f"list {account}'s entries", _STORE), self._engine.begin() as connection:
                rows = connection.execute(page).all()
            yield from (_entry(row) for row in rows)
            if len(rows) < _PAGE:
                return
            after = rows[-1].id

    def sent(self, account: str) -> Iterator[SentCompletion]:
        for entry in self.entries(account):
            state = _SENT_STATES[entry.status]
            yield SentCompletion(
                entry.completion,
                state,
                course_id=entry.course_id,
                enrollment_id=entry.enrollment_id,
                note=entry.error if state is SentState.REFUSED else None,
                settled_at=None if state is SentState.PENDING else entry.updated_at,
            )

    def withdraw(self, account: str, enrollment_id: str, now: datetime) -> int:
        statement = (
            update(completion_outbox)
            .where(
                completion_outbox.c.account == account,
                completion_outbox.c.enrollment_id == enrollment_id,
                completion_outbox.c.status == OutboxStatus.DELIVERED.value,
            )
            .values(status=OutboxStatus.DELETED.value, updated_at=now)
        )
        with (
            storage_errors(self._engine, f"withdraw enrollment {enrollment_id}", _STORE),
            writing(self._engine) as connection,
        ):
            return connection.execute(statement).rowcount

    def mark_delivered(self, entry_id: int, enrollment_id: str, course_id: str, now: datetime) -> None:
        """Settles the entry as delivered onto that enrollment, in the course of Workday ID ``course_id``."""
        values = {
            "enrollment_id": enrollment_id,
            "course_id": course_id,
            "error": None,
            "status": OutboxStatus.DELIVERED.value,
        }
        self._settle(_DELIVERED, entry_id, now, values)

    def mark_failed(self, entry_id: int, error: str, now: datetime) -> None:
        self._settle(_FAILED, entry_id, now, {"error": error, "status": OutboxStatus.FAILED.value})

    def retry_later(self, entry_id: int, error: str, now: datetime, not_before: datetime) -> None:
        """Leaves the entry pending, noting ``error``, not to be claimed again before ``not_before``."""
        self._settle(_RETRY, entry_id, now, {"error": error, "next_attempt_at": not_before})

    def get(self, entry_id: int) -> OutboxEntry | None:
        with storage_errors(self._engine, f"read entry {entry_id}", _STORE), self._engine.begin() as connection:
            return self._get_in(connection, entry_id)

    def _settle(self, statement: Update, entry_id: int, now: datetime, values: Mapping[str, object]) -> None:
        bound = {"entry": entry_id, "at": now, **{f"set_{name}": value for name, value in values.items()}}
        with storage_errors(self._engine, f"update entry {entry_id}", _STORE), writing(self._engine) as connection:
            if connection.execute(statement, bound).rowcount != 1:
                raise LedgerStorageError(f"the completion outbox holds no entry {entry_id}")

    def _get_in(self, connection: Connection, entry_id: int) -> OutboxEntry | None:
        row = connection.execute(select(completion_outbox).where(completion_outbox.c.id == entry_id)).one_or_none()
        return None if row is None else _entry(row)


_SENT_STATES = {
    OutboxStatus.PENDING: SentState.PENDING,
    OutboxStatus.DELIVERED: SentState.DELIVERED,
    OutboxStatus.FAILED: SentState.REFUSED,
    OutboxStatus.DELETED: SentState.WITHDRAWN,
}


def _claimable(entries: FromClause, now: datetime | BindParameter[datetime], session: object) -> ColumnElement[bool]:
    """The entry is under no live claim but, when ``session`` is given, that session's own."""
    free = or_(entries.c.claimed_until.is_(None), entries.c.claimed_until <= now)
    return free if session is None else or_(free, entries.c.claimed_by == session)


def _same_pair_claimed(
    entries: FromClause, now: datetime | BindParameter[datetime], session: BindParameter[str] | None
) -> Exists:
    """Another pending entry of the same account, learner and course as ``entries``' row is under a live claim
    that is not ``session``'s: a claim of no session (``claimed_by`` NULL) is another's too."""
    busy = completion_outbox.alias("busy")
    live = busy.c.claimed_until > now
    others = live if session is None else and_(live, or_(busy.c.claimed_by.is_(None), busy.c.claimed_by != session))
    return exists().where(
        busy.c.account == entries.c.account,
        busy.c.learner_id == entries.c.learner_id,
        busy.c.reference == entries.c.reference,
        busy.c.status == OutboxStatus.PENDING.value,
        others,
    )


@dataclass(frozen=True, slots=True)
class _Claims:
    """The statements of a claim, built once: the update that takes the entry picked, returning it, and the pick
    alone, of one account or across accounts. Their parameters are ``now``, ``until``, ``session`` and
    ``of_account``: no column's name, which an update would take as a value to set."""

    of_account: Update
    across: Update
    due_of_account: Select[Any]
    due_across: Select[Any]


def _claims(in_session: bool) -> _Claims:
    now = bindparam("now", type_=UtcDateTime())
    session = bindparam("session", type_=String()) if in_session else None
    due = completion_outbox.alias("due")

    def pick(of_account: bool) -> Select[Any]:
        chosen = [due.c.account == bindparam("of_account", type_=String())] if of_account else []
        return (
            select(due.c.id)
            .where(
                due.c.status == OutboxStatus.PENDING.value,
                *chosen,
                due.c.next_attempt_at <= now,
                _claimable(due, now, session),
                ~_same_pair_claimed(due, now, session),
            )
            .order_by(due.c.next_attempt_at, due.c.id)
            .limit(1)
        )

    def take(of_account: bool) -> Update:
        return (
            update(completion_outbox)
            .where(
                completion_outbox.c.id == pick(of_account).scalar_subquery(),
                completion_outbox.c.status == OutboxStatus.PENDING.value,
            )
            .values(
                claimed_until=bindparam("until", type_=UtcDateTime()),
                claimed_by=session,
                attempts=completion_outbox.c.attempts + 1,
            )
            .returning(*completion_outbox.c)
        )

    return _Claims(take(True), take(False), pick(True), pick(False))


_CLAIMS = {False: _claims(False), True: _claims(True)}
"""By whether a session claims: without one, ``claimed_by`` stays NULL and only free entries are taken."""


def _settling(*columns: str) -> Update:
    """The update settling an entry (parameters ``entry``, ``at`` and ``set_`` and each column's name), built once:
    its claim let go."""
    values: dict[str, object] = {
        name: bindparam(f"set_{name}", type_=completion_outbox.c[name].type) for name in columns
    }
    return (
        update(completion_outbox)
        .where(completion_outbox.c.id == bindparam("entry", type_=Integer()))
        .values(claimed_until=None, claimed_by=None, updated_at=bindparam("at", type_=UtcDateTime()), **values)
    )


_DELIVERED = _settling("status", "enrollment_id", "course_id", "error")
_FAILED = _settling("status", "error")
_RETRY = _settling("error", "next_attempt_at")


def _row(account: str, completion: LearningCompletion, now: datetime) -> dict[str, Any]:
    return {
        "account": account,
        "learner_id": completion.learner_id,
        "reference": completion.learning_object_external_reference,
        "completed_at": completion.completed_at,
        "payload": _payload(completion),
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }


def _key_of(row: Row[Any]) -> tuple[object, ...]:
    """A returned row's item key; its time is read back in UTC, and equal instants compare (and hash) equal."""
    return tuple(getattr(row, name) for name in _ITEM_KEY)


def _entry_from(entry_id: int, row: dict[str, Any], completion: LearningCompletion) -> OutboxEntry:
    """The entry just added from ``row``, without reading it back."""
    return OutboxEntry(
        id=entry_id,
        account=row["account"],
        completion=completion,
        status=OutboxStatus.PENDING,
        attempts=0,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        next_attempt_at=row["next_attempt_at"],
    )


def _payload(completion: LearningCompletion) -> dict[str, object]:
    return {
        "result": completion.result.value,
        "time_spent_seconds": None if completion.time_spent is None else completion.time_spent.total_seconds(),
        "score": None if completion.score is None else str(completion.score),
        "score_raw": completion.score_raw,
    }


def _entry(row: Row[Any]) -> OutboxEntry:
    payload = row.payload
    try:
        completion = LearningCompletion(
            learner_id=row.learner_id,
            learning_object_external_reference=row.reference,
            result=CompletionResult(payload["result"]),
            completed_at=row.completed_at,
            time_spent=None
            if payload["time_spent_seconds"] is None
            else timedelta(seconds=payload["time_spent_seconds"]),
            score=None if payload["score"] is None else Decimal(payload["score"]),
            score_raw=payload["score_raw"],
        )
        status = OutboxStatus(row.status)
    except (KeyError, ValueError, ArithmeticError) as unreadable:
        raise LedgerStorageError(
            f"the completion outbox holds an entry it cannot read ({row.id}): {unreadable}"
        ) from None
    return OutboxEntry(
        id=row.id,
        account=row.account,
        completion=completion,
        status=status,
        attempts=row.attempts,
        created_at=row.created_at,
        updated_at=row.updated_at,
        next_attempt_at=row.next_attempt_at,
        enrollment_id=row.enrollment_id,
        course_id=row.course_id,
        error=row.error,
    )
