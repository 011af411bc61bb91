"""Group commit for writes that many threads make at once and that must each be durable before the writer goes
on (a delivery Workday confirmed): the rows that arrive while a transaction commits share the next one, so a
hundred concurrent writes pay for a few commits (and fsyncs), not a hundred. Each caller still returns only after
the transaction that holds its row has committed.

No thread of its own: the first caller that finds no commit under way commits whatever is waiting (its own row
included) while the others wait for it, and the next waiting caller leads the next group. When a group's
transaction fails, each of its rows is committed alone, so only a caller whose own row fails gets the error."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

_T = TypeVar("_T")


class _Ticket(Generic[_T]):
    """One row's place in the queue: ``wake`` is set when the row is committed (``done``) or when its writer is to
    lead the next group."""

    __slots__ = ("done", "error", "row", "wake")

    def __init__(self, row: _T) -> None:
        self.row = row
        self.done = False
        self.error: BaseException | None = None
        self.wake = threading.Event()


class GroupCommit(Generic[_T]):
    """``write(row)`` commits ``row`` with whatever other rows wait, through ``commit(rows)`` (one transaction
    writing all of them, in order). Thread-safe. Each waiting writer is woken once, by the leader of the group
    that held its row or to lead the next one: waking every waiter after every commit cost more than the
    commits."""

    def __init__(self, commit: Callable[[Sequence[_T]], None]) -> None:
        self._commit = commit
        self._lock = threading.Lock()
        self._waiting: list[_Ticket[_T]] = []
        self._leading = False

    def waiting(self) -> int:
        """How many rows wait for the next transaction."""
        with self._lock:
            return len(self._waiting)

    def write(self, row: _T) -> None:
        """Returns once ``row`` is committed; raises what committing it alone raised."""
        ticket = _Ticket(row)
        with self._lock:
            self._waiting.append(ticket)
            lead = not self._leading
            self._leading = True
        if not lead:
            ticket.wake.wait()
            if ticket.done:
                return self._outcome(ticket)
        with self._lock:  # leading: every row waiting now, this one's included, is the group
            group, self._waiting = self._waiting, []
        try:
            self._write(group)
        finally:
            with self._lock:
                following = self._waiting[0] if self._waiting else None
                self._leading = following is not None
            for done in group:
                done.done = True
                done.wake.set()
            if following is not None:
                following.wake.set()
        return self._outcome(ticket)

    def _write(self, group: list[_Ticket[_T]]) -> None:
        try:
            self._commit([t.row for t in group])
        except BaseException as failed:
            if len(group) == 1:
                group[0].error = failed
            else:
                for ticket in group:  # one bad row must not fail the others
                    self._write([ticket])

    @staticmethod
    def _outcome(ticket: _Ticket[_T]) -> None:
        if ticket.error is not None:
            raise ticket.error
