"""Group commit for the completion outbox: completions posted at the same time share one transaction, hence one
write to disk, instead of one each. A request still gets its answer only after the commit that holds its
completion, so nothing is acknowledged before it is durable; what changes is that a hundred concurrent requests
pay for one fsync, not a hundred.

One writer thread takes whatever has queued up since its last commit (at most ``max_batch``) and commits it
with ``enqueue_many``. When that commit fails, each request of the batch is committed alone, so only a request
whose own commit fails gets the error."""

from __future__ import annotations

import asyncio
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime

from adapters.storage.completion_outbox import SqlCompletionOutbox
from domain.learning_completions import LearningCompletion
from domain.outbox import OutboxEntry


@dataclass(frozen=True, slots=True)
class _Pending:
    account: str
    completion: LearningCompletion
    now: datetime
    answer: Future[tuple[OutboxEntry, bool]]


class GroupCommitter:
    def __init__(self, outbox: SqlCompletionOutbox, max_batch: int = 500) -> None:
        self._outbox = outbox
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    async def enqueue(self, account: str, completion: LearningCompletion, now: datetime) -> tuple[OutboxEntry, bool]:
        """``SqlCompletionOutbox.enqueue``, committed together with whatever else is waiting."""
        answer: Future[tuple[OutboxEntry, bool]] = Future()
        self._start()
        self._queue.put(_Pending(account, completion, now, answer))
        return await asyncio.wrap_future(answer)

    def waiting(self) -> int:
        """How many requests wait for the writer to take them (approximate while it runs)."""
        return self._queue.qsize()

    def stop(self) -> None:
        """Commits what is queued, then ends the writer thread; a later ``enqueue`` starts it again."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)  # stop, after what is queued before it
            thread.join()

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="outbox-group-commit", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stopping = False
            while len(batch) < self._max_batch:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stopping = True
                    break
                batch.append(more)
            self._commit(batch)
            if stopping:
                return

    def _commit(self, batch: list[_Pending]) -> None:
        try:
            # The batch's time is its last request's: each entry is due at once, whichever time it carries.
            results = self._outbox.enqueue_many([(p.account, p.completion) for p in batch], batch[-1].now)
        except Exception as failed:  # every waiting request must get an answer, a bug's included
            if len(batch) == 1:
                _answer(batch[0].answer, error=failed)
                return
            for pending in batch:  # one bad item must not fail the others: each alone, in its own commit
                self._commit([pending])
            return
        for pending, result in zip(batch, results, strict=True):
            _answer(pending.answer, result=result)


def _answer(
    answer: Future[tuple[OutboxEntry, bool]],
    *,
    result: tuple[OutboxEntry, bool] | None = None,
    error: Exception | None = None,
) -> None:
    """Settles a request's future, unless its request was cancelled meanwhile (a client gone, a shutdown): a
    cancelled future refuses a result, and the writer thread must not die of it."""
    if answer.done():
        return
    if error is not None:
        answer.set_exception(error)
    else:
        assert result is not None
        answer.set_result(result)
