import contextlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st
from returns.result import Result

from adapters.fakes import (
    FixedClock,
    InMemoryCompletionSource,
    InMemoryDeliveryLedger,
    InMemorySyncLedger,
    InMemoryTranscriptSink,
)
from app.use_cases.transcripts import FEED, PlanTranscripts, SyncTranscripts
from domain.deliveries import DeliveryRefused
from domain.runs import RunOutcome
from domain.transcripts import ImportedContent, ImportedRecord, ProviderCompletion
from tests.transcript_factories import a_completion, feeds

TORONTO = ZoneInfo("America/Toronto")


class Killed(BaseException):
    """The process dies: nothing after it runs, not even ``except Exception``."""


class DyingSink(InMemoryTranscriptSink):
    """Workday stores the item, then the connector is killed before it hears the answer. A dead process sends
    nothing more, so every later call dies at once (the executor would otherwise run the queued ones)."""

    def __init__(self, store: InMemoryTranscriptSink, die_after: int) -> None:
        super().__init__()
        self.store = store
        self.die_after = die_after

    def put_content(self, content: ImportedContent) -> Result[str, DeliveryRefused]:
        self._dead_already()
        result = self.store.put_content(content)
        self._maybe_die()
        return result

    def put_record(self, record: ImportedRecord) -> Result[str, DeliveryRefused]:
        self._dead_already()
        result = self.store.put_record(record)
        self._maybe_die()
        return result

    def _dead_already(self) -> None:
        if self.die_after < 0:
            raise Killed

    def _maybe_die(self) -> None:
        self.die_after -= 1
        if self.die_after < 0:
            raise Killed


class World:
    def __init__(self, completions: Sequence[ProviderCompletion] = (), learners: set[str] | None = None) -> None:
        self.source = InMemoryCompletionSource(completions, page_size=7)
        self.workday = InMemoryTranscriptSink(learners=learners)
        self.deliveries = InMemoryDeliveryLedger()
        self.runs = InMemorySyncLedger()
        self.clock = FixedClock(datetime(2026, 11, 23, 12, tzinfo=UTC))
        self.planner = PlanTranscripts(self.source, self.deliveries, "acme", TORONTO)

    def sync(self, sink: InMemoryTranscriptSink | None = None, concurrency: int = 4) -> SyncTranscripts:
        return SyncTranscripts(
            self.planner, sink or self.workday, self.deliveries, self.runs, self.clock, "acme", concurrency
        )


def test_delivers_content_then_records_and_a_second_run_sends_nothing() -> None:
    world = World([a_completion(course_id="ep_1"), a_completion(course_id="ep_2"), a_completion(passed=False)])
    result = world.sync()()
    assert result.outcome is RunOutcome.SUCCEEDED
    assert (result.run.counts["content_sent"], result.run.counts["records_sent"]) == (2, 2)
    puts = world.workday.puts
    again = world.sync()()
    assert world.workday.puts == puts
    assert again.run.counts["records_sent"] == 0


def test_an_invalid_record_is_settled_as_rejected_and_not_sent_again() -> None:
    stranger = a_completion(learner_employee_id="E-UNKNOWN")
    world = World([stranger, a_completion(learner_employee_id="E1")], learners={"E1"})
    first = world.sync()()
    assert first.outcome is RunOutcome.PARTIAL
    assert first.run.counts["rejected"] == 1
    assert first.failures[0].error is not None
    assert "E-UNKNOWN" in first.failures[0].error
    puts = world.workday.puts
    second = world.sync()()
    assert world.workday.puts == puts
    assert second.outcome is RunOutcome.SUCCEEDED


def test_a_transient_failure_keeps_the_cursor_and_the_next_run_delivers_it() -> None:
    completion = a_completion()
    world = World([completion])
    world.workday.transient = {completion.completion_id}
    first = world.sync()()
    assert first.run.counts["failed"] == 1
    assert world.deliveries.cursor("acme", FEED) is None
    world.sync()()
    assert completion.completion_id in world.workday.records
    assert world.deliveries.cursor("acme", FEED) is not None


def test_records_wait_for_their_content() -> None:
    completion = a_completion(course_id="ep_9")
    world = World([completion])
    world.workday.transient = {"ep_9"}
    result = world.sync()()
    assert completion.completion_id not in world.workday.records
    assert result.run.counts["failed"] == 2
    world.sync()()
    assert completion.completion_id in world.workday.records


def test_a_revocation_later_in_the_feed_inactivates_the_record() -> None:
    completion = a_completion()
    world = World([completion])
    world.sync()()
    world.source.append(replace(completion, revoked=True))
    world.sync()()
    assert world.workday.records[completion.completion_id].inactive


def test_since_reads_the_whole_feed_but_leaves_the_cursor() -> None:
    old = a_completion(completed_at=datetime(2026, 1, 5, 12, tzinfo=UTC))
    new = a_completion(completed_at=datetime(2026, 11, 1, 12, tzinfo=UTC))
    world = World([old, new])
    world.sync()(since=date(2026, 6, 1))
    assert set(world.workday.records) == {new.completion_id}
    assert world.deliveries.cursor("acme", FEED) is None


def test_replay_sends_again_what_was_delivered_in_the_range() -> None:
    completion = a_completion(completed_at=datetime(2026, 3, 5, 12, tzinfo=UTC))
    world = World([completion])
    world.sync()()
    puts = world.workday.puts
    result = world.sync().replay(date(2026, 3, 1), date(2026, 3, 31))
    assert result.run.counts["records_sent"] == 1
    assert world.workday.puts == puts + 2


@given(feeds, st.lists(st.integers(min_value=0, max_value=12), max_size=4))
def test_every_passed_completion_is_delivered_exactly_once_over_runs_killed_anywhere(
    feed: list[ProviderCompletion], kill_points: list[int]
) -> None:
    world = World(feed)
    for kill_after in kill_points:
        with contextlib.suppress(Killed):
            world.sync(DyingSink(world.workday, kill_after), concurrency=1)()
    world.sync(concurrency=1)()

    latest = {c.completion_id: c for c in feed}
    active = {cid for cid, c in latest.items() if c.passed and c.learner_employee_id and not c.revoked}
    assert {rid for rid, r in world.workday.records.items() if not r.inactive} == active
    resent = sum(n - 1 for rid, n in world.workday.put_counts.items() if n > 1 and rid in latest)
    revocations = sum(1 for c in latest.values() if c.revoked)
    assert resent <= len(kill_points) + revocations
    assert world.planner().plan.is_empty


def test_a_replay_of_an_empty_range_says_so_in_its_run() -> None:
    world = World([a_completion(completed_at=datetime(2026, 3, 5, 12, tzinfo=UTC))])
    result = world.sync().replay(date(2026, 4, 1), date(2026, 4, 30))
    assert result.run.counts["completions"] == 0
    assert (
        result.run.message
        == "no completion was completed from 2026-04-01 to 2026-04-30: the range held nothing to send"
    )
    assert world.workday.puts == 0


def test_a_sync_with_nothing_new_says_so_in_its_run() -> None:
    world = World([a_completion()])
    world.sync()()
    assert world.sync()().run.message == "the provider has no completions since the last run: nothing to send"
