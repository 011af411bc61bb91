"""The SentCompletions contract (``domain.ports.sent_completions``), run against the in-memory fake and the
completion outbox on a SQLite file and on PostgreSQL (skipped when no server answers). Each implementation is
given completions as it would get them: the fake by ``send``, the outbox by enqueue and settlement."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.fakes import InMemoryCompletionOutbox
from adapters.storage.completion_outbox import SqlCompletionOutbox
from domain.completion_reconciliation import SentState
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.ports.sent_completions import SentCompletions
from tests.contract.storage_fixtures import postgres_engine_in_own_schema, postgres_url_or_skip, sqlite_engine

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
Send = Callable[[str, LearningCompletion, SentState, str | None], None]


@dataclass
class SentUnderTest:
    store: SentCompletions
    send: Send


COURSE = "wid-course"
REFUSAL = "Invalid ID value. '3' is not a valid ID value for type = 'Employee_ID'"


def _fake_sender(fake: InMemoryCompletionOutbox) -> Send:
    def send(account: str, completion: LearningCompletion, state: SentState, enrollment_id: str | None) -> None:
        course = COURSE if state in (SentState.DELIVERED, SentState.WITHDRAWN) else None
        fake.send(account, completion, state, enrollment_id, course, REFUSAL if state is SentState.REFUSED else None)

    return send


def _outbox_sender(outbox: SqlCompletionOutbox) -> Send:
    def send(account: str, completion: LearningCompletion, state: SentState, enrollment_id: str | None) -> None:
        entry, _ = outbox.enqueue(account, completion, NOW)
        if state is SentState.DELIVERED:
            outbox.mark_delivered(entry.id, enrollment_id or "", COURSE, NOW)
        elif state is SentState.REFUSED:
            outbox.mark_failed(entry.id, REFUSAL, NOW)
        elif state is SentState.WITHDRAWN:
            outbox.mark_delivered(entry.id, enrollment_id or "", COURSE, NOW)
            outbox.withdraw(account, enrollment_id or "", NOW)

    return send


@pytest.fixture(params=["fake", "sqlite", "postgres"])
def under_test(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SentUnderTest]:
    if request.param == "fake":
        fake = InMemoryCompletionOutbox()
        yield SentUnderTest(fake, _fake_sender(fake))
        return
    with ExitStack() as stack:
        if request.param == "sqlite":
            engine = stack.enter_context(sqlite_engine(tmp_path))
        else:
            engine = stack.enter_context(postgres_engine_in_own_schema(postgres_url_or_skip()))
        outbox = SqlCompletionOutbox(engine)
        yield SentUnderTest(outbox, _outbox_sender(outbox))


def completion(learner: str, course: str = "A", minute: int = 0) -> LearningCompletion:
    return LearningCompletion(learner, course, CompletionResult.PASS, NOW - timedelta(days=1, minutes=-minute))


def test_each_account_sees_its_own_completions_in_the_order_sent_with_their_state(under_test: SentUnderTest) -> None:
    under_test.send("acme", completion("1"), SentState.DELIVERED, "w1")
    under_test.send("globex", completion("1"), SentState.DELIVERED, "w1")
    under_test.send("acme", completion("2"), SentState.PENDING, None)
    under_test.send("acme", completion("3"), SentState.REFUSED, None)

    acme = [(s.completion.learner_id, s.state) for s in under_test.store.sent("acme")]

    assert acme == [("1", SentState.DELIVERED), ("2", SentState.PENDING), ("3", SentState.REFUSED)]
    assert [s.completion for s in under_test.store.sent("globex")] == [completion("1")]
    assert list(under_test.store.sent("initech")) == []


def test_withdrawing_an_enrollment_marks_that_accounts_delivered_completions_on_it_only(
    under_test: SentUnderTest,
) -> None:
    under_test.send("acme", completion("1"), SentState.DELIVERED, "w1")
    under_test.send("acme", completion("1", minute=5), SentState.DELIVERED, "w1")
    under_test.send("acme", completion("2"), SentState.DELIVERED, "w2")
    under_test.send("acme", completion("3"), SentState.PENDING, None)
    under_test.send("globex", completion("1"), SentState.DELIVERED, "w1")

    withdrawn = under_test.store.withdraw("acme", "w1", NOW)

    assert withdrawn == 2
    assert [s.state for s in under_test.store.sent("acme")] == [
        SentState.WITHDRAWN,
        SentState.WITHDRAWN,
        SentState.DELIVERED,
        SentState.PENDING,
    ]
    assert [s.state for s in under_test.store.sent("globex")] == [SentState.DELIVERED]
    assert under_test.store.withdraw("acme", "w-unknown", NOW) == 0


def test_a_delivered_completion_names_its_course_and_enrollment_and_a_refused_one_workdays_reason(
    under_test: SentUnderTest,
) -> None:
    under_test.send("acme", completion("1"), SentState.DELIVERED, "w1")
    under_test.send("acme", completion("3"), SentState.REFUSED, None)

    delivered, refused = under_test.store.sent("acme")

    assert (delivered.course_id, delivered.enrollment_id, delivered.note) == (COURSE, "w1", None)
    assert (refused.course_id, refused.enrollment_id, refused.note) == (None, None, REFUSAL)
