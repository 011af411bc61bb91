"""The group committer: requests that arrive while a commit is under way share the next one, each gets its
own entry, a failed commit fails only the requests whose own commit fails, and a request cancelled while it
waits leaves the writer running."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.storage import create_engine_for
from adapters.storage.completion_outbox import SqlCompletionOutbox
from adapters.storage.errors import LedgerStorageError
from app.http.group_commit import GroupCommitter
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.outbox import OutboxEntry

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def completion(n: int) -> LearningCompletion:
    return LearningCompletion(f"E{n}", "ADV-SALES-001", CompletionResult.PASS, NOW)


class HeldOutbox(SqlCompletionOutbox):
    """The real outbox, whose first commit waits for ``release`` and which records each batch's size."""

    def __init__(self, url: str) -> None:
        super().__init__(create_engine_for(url))
        self.entered = threading.Event()
        self.release = threading.Event()
        self.batches: list[int] = []

    def enqueue_many(
        self, items: Sequence[tuple[str, LearningCompletion]], now: datetime
    ) -> list[tuple[OutboxEntry, bool]]:
        if not self.batches:
            self.entered.set()
            self.release.wait()
        self.batches.append(len(items))
        return super().enqueue_many(items, now)


async def _all_while_the_first_commit_is_held(outbox: HeldOutbox, committer: GroupCommitter, n: int) -> list[int]:
    first = asyncio.ensure_future(committer.enqueue("acme", completion(0), NOW))
    while not outbox.entered.is_set():  # the writer has taken the first and is committing it
        await asyncio.sleep(0)
    rest = asyncio.gather(*(committer.enqueue("acme", completion(i), NOW) for i in range(1, n)))
    while committer.waiting() < n - 1:  # the others queue behind that commit
        await asyncio.sleep(0)
    outbox.release.set()
    answers = [await first, *await rest]
    return [entry.id for entry, added in answers if added]


def test_requests_arriving_during_a_commit_share_the_next_one_and_each_gets_its_entry(tmp_path: Path) -> None:
    outbox = HeldOutbox(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    committer = GroupCommitter(outbox)

    ids = asyncio.run(_all_while_the_first_commit_is_held(outbox, committer, 40))
    committer.stop()

    assert outbox.batches == [1, 39]
    assert len(set(ids)) == 40
    assert [outbox.get(i).completion.learner_id for i in ids] == [f"E{n}" for n in range(40)]  # type: ignore[union-attr]


class BrokenOutbox(SqlCompletionOutbox):
    def enqueue_many(
        self, items: Sequence[tuple[str, LearningCompletion]], now: datetime
    ) -> list[tuple[OutboxEntry, bool]]:
        raise LedgerStorageError("the completion outbox could not enqueue completions: disk I/O error")


async def _post_three(committer: GroupCommitter) -> list[object]:
    return await asyncio.gather(
        *(committer.enqueue("acme", completion(i), NOW) for i in range(3)), return_exceptions=True
    )


def test_a_failed_commit_fails_every_request_in_it(tmp_path: Path) -> None:
    committer = GroupCommitter(BrokenOutbox(create_engine_for(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")))

    answers = asyncio.run(_post_three(committer))
    committer.stop()

    assert len(answers) == 3
    for answer in answers:
        assert isinstance(answer, LedgerStorageError)


def test_stop_commits_what_is_queued_and_a_later_request_starts_it_again(tmp_path: Path) -> None:
    outbox = SqlCompletionOutbox(create_engine_for(f"sqlite:///{tmp_path / 'ledger.sqlite3'}"))
    committer = GroupCommitter(outbox)
    first, _ = asyncio.run(committer.enqueue("acme", completion(1), NOW))
    committer.stop()

    second, added = asyncio.run(committer.enqueue("acme", completion(2), NOW))
    committer.stop()

    assert added
    assert second.id != first.id


@pytest.mark.parametrize("size", [1, 3])
def test_a_batch_never_exceeds_its_bound(tmp_path: Path, size: int) -> None:
    outbox = HeldOutbox(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    committer = GroupCommitter(outbox, max_batch=size)

    ids = asyncio.run(_all_while_the_first_commit_is_held(outbox, committer, 10))
    committer.stop()

    assert max(outbox.batches) <= size
    assert sum(outbox.batches) == 10
    assert len(set(ids)) == 10


class PickyOutbox(SqlCompletionOutbox):
    """The real outbox, refusing any commit that holds learner ``BAD`` (as a database refuses a bad value)."""

    def enqueue_many(
        self, items: Sequence[tuple[str, LearningCompletion]], now: datetime
    ) -> list[tuple[OutboxEntry, bool]]:
        if any(c.learner_id == "BAD" for _, c in items):
            raise LedgerStorageError("the completion outbox could not enqueue completions: invalid byte sequence")
        return super().enqueue_many(items, now)


async def _good_and_bad(committer: GroupCommitter) -> list[object]:
    bad = LearningCompletion("BAD", "ADV-SALES-001", CompletionResult.PASS, NOW)
    answers = await asyncio.gather(
        committer.enqueue("acme", completion(1), NOW),
        committer.enqueue("acme", bad, NOW),
        committer.enqueue("acme", completion(2), NOW),
        return_exceptions=True,
    )
    return list(answers)


def test_one_bad_item_fails_only_its_own_request(tmp_path: Path) -> None:
    outbox = PickyOutbox(create_engine_for(f"sqlite:///{tmp_path / 'ledger.sqlite3'}"))
    committer = GroupCommitter(outbox)

    first, bad, second = asyncio.run(_good_and_bad(committer))
    committer.stop()

    assert isinstance(bad, LedgerStorageError)
    for answer in (first, second):
        assert isinstance(answer, tuple)
        entry, added = answer
        assert added
        assert outbox.get(entry.id) == entry


async def _one_cancelled_while_held(outbox: HeldOutbox, committer: GroupCommitter) -> tuple[int, int]:
    first = asyncio.ensure_future(committer.enqueue("acme", completion(0), NOW))
    while not outbox.entered.is_set():
        await asyncio.sleep(0)
    gone = asyncio.ensure_future(committer.enqueue("acme", completion(1), NOW))
    kept = asyncio.ensure_future(committer.enqueue("acme", completion(2), NOW))
    while committer.waiting() < 2:
        await asyncio.sleep(0)
    gone.cancel()
    outbox.release.set()
    await first
    entry, _ = await kept
    later, _ = await committer.enqueue("acme", completion(3), NOW)
    return entry.id, later.id


def test_a_request_cancelled_while_it_waits_leaves_the_writer_answering_the_others(tmp_path: Path) -> None:
    outbox = HeldOutbox(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    committer = GroupCommitter(outbox)

    kept, later = asyncio.run(_one_cancelled_while_held(outbox, committer))
    committer.stop()

    assert outbox.get(kept) is not None
    assert outbox.get(later) is not None
