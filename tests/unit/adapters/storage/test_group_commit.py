"""Group commit: every row is committed before its writer returns, rows written together share a transaction, and
a row that cannot be committed fails its own writer alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

import pytest

from adapters.storage.group_commit import GroupCommit

DEADLINE = 10.0


class Database:
    """Commits groups of rows, refusing any group that holds a row in ``bad``; the first commit waits for
    ``release`` once ``hold_first`` is set."""

    def __init__(self, bad: frozenset[str] = frozenset(), hold_first: bool = False) -> None:
        self.bad = bad
        self.transactions: list[list[str]] = []
        self.committed: set[str] = set()
        self.release = threading.Event()
        self.first_begun = threading.Event()
        self._hold = hold_first
        self._lock = threading.Lock()

    def commit(self, rows: Sequence[str]) -> None:
        if self._hold:
            self._hold = False
            self.first_begun.set()
            assert self.release.wait(DEADLINE)
        if self.bad.intersection(rows):
            raise ValueError(f"refused: {sorted(self.bad.intersection(rows))}")
        with self._lock:
            self.transactions.append(list(rows))
            self.committed.update(rows)


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.001)


def writers(
    group: GroupCommit[str], database: Database, rows: list[str], outcomes: dict[str, object]
) -> list[threading.Thread]:
    """A thread writing each row, noting whether its row was committed when ``write`` returned, or its error."""

    def write(row: str) -> None:
        try:
            group.write(row)
            outcomes[row] = "committed" if row in database.committed else "returned before its commit"
        except ValueError as error:
            outcomes[row] = error

    threads = [threading.Thread(target=write, args=(row,)) for row in rows]
    for thread in threads:
        thread.start()
    return threads


def group_over(database: Database) -> GroupCommit[str]:
    return GroupCommit[str](database.commit)


def test_a_lone_write_is_committed_before_it_returns() -> None:
    database = Database()
    group = group_over(database)
    group.write("a")
    assert database.transactions == [["a"]]


def test_rows_written_while_a_transaction_commits_share_the_next_one() -> None:
    database = Database(hold_first=True)
    group = group_over(database)
    outcomes: dict[str, object] = {}
    first = writers(group, database, ["first"], outcomes)
    assert database.first_begun.wait(DEADLINE)
    rest = writers(group, database, [f"row-{n}" for n in range(8)], outcomes)
    wait_until(lambda: group.waiting() == 8)
    database.release.set()
    for thread in first + rest:
        thread.join(DEADLINE)
    assert database.transactions[0] == ["first"]
    assert sorted(database.transactions[1]) == [f"row-{n}" for n in range(8)]
    assert len(database.transactions) == 2
    assert set(outcomes.values()) == {"committed"}


def test_a_row_that_cannot_be_committed_fails_its_writer_alone() -> None:
    database = Database(bad=frozenset({"bad"}), hold_first=True)
    group = group_over(database)
    outcomes: dict[str, object] = {}
    first = writers(group, database, ["first"], outcomes)
    assert database.first_begun.wait(DEADLINE)
    rest = writers(group, database, ["good-1", "bad", "good-2"], outcomes)
    wait_until(lambda: group.waiting() == 3)
    database.release.set()
    for thread in first + rest:
        thread.join(DEADLINE)
    assert isinstance(outcomes.pop("bad"), ValueError)
    assert outcomes == {"first": "committed", "good-1": "committed", "good-2": "committed"}
    assert "bad" not in database.committed


def test_a_lone_write_that_fails_raises_its_error() -> None:
    group = group_over(Database(bad=frozenset({"bad"})))
    with pytest.raises(ValueError, match="bad"):
        group.write("bad")
