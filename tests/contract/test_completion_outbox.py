"""The CompletionOutbox contract (``domain.ports.completion_outbox``) beyond what SentCompletions covers, run
against the in-memory fake and the SQL outbox on a SQLite file and on PostgreSQL (skipped when none answers)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.fakes import InMemoryCompletionOutbox
from adapters.storage.completion_outbox import SqlCompletionOutbox
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.outbox import OutboxStatus
from domain.ports.completion_outbox import CompletionOutbox
from tests.contract.storage_fixtures import postgres_engine_in_own_schema, postgres_url_or_skip, sqlite_engine

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=10)


@pytest.fixture(params=["fake", "sqlite", "postgres"])
def outbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CompletionOutbox]:
    if request.param == "fake":
        yield InMemoryCompletionOutbox()
        return
    with ExitStack() as stack:
        if request.param == "sqlite":
            engine = stack.enter_context(sqlite_engine(tmp_path))
        else:
            engine = stack.enter_context(postgres_engine_in_own_schema(postgres_url_or_skip()))
        yield SqlCompletionOutbox(engine)


def completion(
    learner: str = "1", course: str = "A", result: CompletionResult = CompletionResult.PASS
) -> LearningCompletion:
    return LearningCompletion(learner, course, result, NOW - timedelta(days=1))


def test_the_same_completion_enqueued_twice_is_one_entry_and_the_first_payload_wins(outbox: CompletionOutbox) -> None:
    first, added = outbox.enqueue("acme", completion(), NOW)
    again, added_again = outbox.enqueue("acme", completion(result=CompletionResult.FAIL), NOW)
    other, _ = outbox.enqueue("globex", completion(), NOW)

    assert (added, added_again) == (True, False)
    assert again.id == first.id
    assert again.completion.result is CompletionResult.PASS
    assert other.id != first.id


def test_a_claim_holds_an_entry_and_its_learner_and_course_until_settled(outbox: CompletionOutbox) -> None:
    entry, _ = outbox.enqueue("acme", completion(), NOW)
    pair, _ = outbox.enqueue("acme", LearningCompletion("1", "A", CompletionResult.PASS, NOW), NOW)

    claimed = outbox.claim(entry.id, NOW, LEASE)

    assert claimed is not None
    assert claimed.attempts == entry.attempts + 1
    assert outbox.claim(entry.id, NOW, LEASE) is None, "one live claim"
    assert outbox.claim(pair.id, NOW, LEASE) is None, "its learner and course are being delivered"
    outbox.mark_delivered(entry.id, "wid-e", "wid-course", NOW)
    assert outbox.claim(pair.id, NOW, LEASE) is not None


def test_settling_records_the_outcome(outbox: CompletionOutbox) -> None:
    delivered, _ = outbox.enqueue("acme", completion("1"), NOW)
    refused, _ = outbox.enqueue("acme", completion("2"), NOW)
    later, _ = outbox.enqueue("acme", completion("3"), NOW)
    for entry in (delivered, refused, later):
        assert outbox.claim(entry.id, NOW, LEASE) is not None

    outbox.mark_delivered(delivered.id, "wid-e", "wid-course", NOW)
    outbox.mark_failed(refused.id, "Invalid ID value. '2'", NOW)
    outbox.retry_later(later.id, "503", NOW, NOW + timedelta(minutes=5))

    got = {e.id: outbox.get(e.id) for e in (delivered, refused, later)}
    assert [(g.status, g.error) for g in got.values() if g is not None] == [
        (OutboxStatus.DELIVERED, None),
        (OutboxStatus.FAILED, "Invalid ID value. '2'"),
        (OutboxStatus.PENDING, "503"),
    ]
    waiting = got[later.id]
    assert waiting is not None
    assert waiting.next_attempt_at == NOW + timedelta(minutes=5)
    assert outbox.claim(later.id, NOW, LEASE) is not None, "settling released the claim"
    assert outbox.get(999_999) is None
