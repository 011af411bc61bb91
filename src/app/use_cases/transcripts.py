"""Transcript sync: gather the provider's completion changes, plan, and deliver each item exactly once.

Exactly once rests on three facts: an item counts as delivered only when Workday confirmed it and that is
committed to the ledger (``DeliveryLedger.record_delivery`` is durable before it returns); the plan skips every
item settled with the same payload; and the provider's cursor moves only when every item of the run settled.
A run killed at any point and started again therefore sends what is left once; only an item in flight at the
kill (confirmed by Workday, not yet in the ledger) may be sent again, and Workday's Put is an upsert by ID.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import partial
from zoneinfo import ZoneInfo

from returns.result import Failure, Result, Success

from app.observability.context import carry_context
from domain.deliveries import Delivery, DeliveryKind, DeliveryOutcome, DeliveryRefused
from domain.errors import PortUnavailable
from domain.ports.clock import Clock
from domain.ports.completion_source import CompletionSource
from domain.ports.delivery_ledger import DeliveryLedger
from domain.ports.sync_ledger import SyncLedger
from domain.ports.transcript_sink import TranscriptSink
from domain.runs import ActionRecord, ActionResult, Run, RunKind, RunOutcome
from domain.transcripts import (
    PASS_GRADE,
    ImportedContent,
    ImportedRecord,
    ProviderCompletion,
    Settled,
    TranscriptPlan,
    plan_transcripts,
)

FEED = "lumiq-completions"


@dataclass(frozen=True, slots=True)
class GatheredTranscripts:
    plan: TranscriptPlan
    completions: int
    cursor: str | None
    """Where the feed was read to; saved only when every item of the run settled."""


class PlanTranscripts:
    """Reads the provider's feed and plans against what the ledger says the tenant's Workday holds; records carry
    ``grade``, the tenant's Learning Grade of a pass."""

    def __init__(
        self,
        source: CompletionSource,
        deliveries: DeliveryLedger,
        tenant: str,
        zone: ZoneInfo,
        grade: str = PASS_GRADE,
    ) -> None:
        self._source = source
        self._deliveries = deliveries
        self._tenant = tenant
        self._zone = zone
        self._grade = grade

    def __call__(self, since: date | None = None) -> GatheredTranscripts:
        """The changes after the saved cursor; with ``since``, every completion completed on or after that date
        (the whole feed is read, and the cursor is not to be saved)."""
        after = None if since is not None else self._deliveries.cursor(self._tenant, FEED)
        completions, cursor = self._read(after)
        if since is not None:
            completions = [c for c in completions if self._local_date(c) >= since]
            cursor = None
        plan = plan_transcripts(completions, self._deliveries.settled(self._tenant), self._zone, self._grade)
        return GatheredTranscripts(plan, len(completions), cursor)

    def replay(self, start: date, end: date) -> GatheredTranscripts:
        """Every record completed from ``start`` to ``end`` and its content, whatever the ledger says."""
        completions, _ = self._read(None)
        chosen = [c for c in completions if start <= self._local_date(c) <= end]
        plan = plan_transcripts(chosen, Settled({}, {}), self._zone, self._grade)
        return GatheredTranscripts(plan, len(chosen), None)

    def _read(self, after: str | None) -> tuple[list[ProviderCompletion], str | None]:
        completions: list[ProviderCompletion] = []
        cursor = after
        for page in self._source.pages(after):
            completions.extend(page.completions)
            cursor = page.cursor
        return completions, cursor

    def _local_date(self, completion: ProviderCompletion) -> date:
        return completion.completed_at.astimezone(self._zone).date()


class _Fate(StrEnum):
    SENT = "sent"
    REJECTED = "rejected"
    """Refused by Workday as invalid: settled, not sent again until the payload changes."""
    FAILED = "failed"
    """A transient failure after retries: sent again by the next run."""


@dataclass(slots=True)
class _Tally:
    """Counted on the thread that collects results, never on the workers."""

    actions: list[ActionRecord] = field(default_factory=list)
    content_sent: int = 0
    records_sent: int = 0
    rejected: int = 0
    failed: int = 0

    def add(self, action: ActionRecord, fate: _Fate) -> None:
        self.actions.append(action)
        if fate is _Fate.SENT and action.kind == DeliveryKind.CONTENT:
            self.content_sent += 1
        elif fate is _Fate.SENT:
            self.records_sent += 1
        elif fate is _Fate.REJECTED:
            self.rejected += 1
        else:
            self.failed += 1

    @property
    def failures(self) -> tuple[ActionRecord, ...]:
        return tuple(a for a in self.actions if a.result is ActionResult.FAILED)


@dataclass(frozen=True, slots=True)
class TranscriptSyncResult:
    run: Run
    gathered: GatheredTranscripts | None
    failures: tuple[ActionRecord, ...] = ()

    @property
    def outcome(self) -> RunOutcome:
        return self.run.outcome


Progress = Callable[[ActionRecord], None]
Planned = Callable[[GatheredTranscripts], None]


class SyncTranscripts:
    """Delivers a transcript plan: all imported content first, then the records whose content Workday holds.
    Items go out concurrently; the sink keeps within the tenant's rate limit."""

    def __init__(
        self,
        planner: PlanTranscripts,
        sink: TranscriptSink,
        deliveries: DeliveryLedger,
        runs: SyncLedger,
        clock: Clock,
        tenant: str,
        concurrency: int = 16,
    ) -> None:
        self._planner = planner
        self._sink = sink
        self._deliveries = deliveries
        self._runs = runs
        self._clock = clock
        self._tenant = tenant
        self._concurrency = concurrency

    def __call__(
        self, since: date | None = None, progress: Progress | None = None, planned: Planned | None = None
    ) -> TranscriptSyncResult:
        """``planned`` is told the plan before delivery starts; ``progress`` is told each item's outcome."""
        empty = (
            "the provider has no completions since the last run: nothing to send"
            if since is None
            else f"no completion was completed on or after {since}: nothing to send"
        )
        return self._run(lambda: self._planner(since), progress, planned, empty, save_cursor=since is None)

    def replay(
        self, start: date, end: date, progress: Progress | None = None, planned: Planned | None = None
    ) -> TranscriptSyncResult:
        """Sends again, as upserts, every record completed from ``start`` to ``end``; the cursor does not move."""
        empty = f"no completion was completed from {start} to {end}: the range held nothing to send"
        return self._run(lambda: self._planner.replay(start, end), progress, planned, empty, save_cursor=False)

    def _run(
        self,
        gather: Callable[[], GatheredTranscripts],
        progress: Progress | None,
        planned: Planned | None,
        empty: str,
        save_cursor: bool,
    ) -> TranscriptSyncResult:
        """Gathers, delivers and records a run; ``empty`` is the run's message when no completion was read."""
        run = self._runs.start_run(RunKind.TRANSCRIPTS, self._tenant, self._clock.now())
        gathered: GatheredTranscripts | None = None
        try:
            gathered = gather()
            if planned is not None:
                planned(gathered)
            tally = self._deliver(run.id, gathered.plan, progress)
        except PortUnavailable as problem:
            finished = self._runs.finish_run(run.id, RunOutcome.FAILED, self._clock.now(), {}, str(problem))
            return TranscriptSyncResult(finished, gathered)
        if save_cursor and tally.failed == 0 and gathered.cursor is not None:
            self._deliveries.save_cursor(self._tenant, FEED, gathered.cursor)
        counts = {
            "completions": gathered.completions,
            "content_sent": tally.content_sent,
            "records_sent": tally.records_sent,
            "rejected": tally.rejected,
            "failed": tally.failed,
            "held_back": len(gathered.plan.held_back),
            "not_sent": gathered.plan.not_sent,
        }
        outcome = RunOutcome.PARTIAL if tally.failures else RunOutcome.SUCCEEDED
        message = empty if gathered.completions == 0 else ""
        finished = self._runs.finish_run(run.id, outcome, self._clock.now(), counts, message)
        return TranscriptSyncResult(finished, gathered, tally.failures)

    def _deliver(self, run_id: int, plan: TranscriptPlan, progress: Progress | None) -> _Tally:
        tally = _Tally()

        def note(outcome: tuple[ActionRecord, _Fate]) -> None:
            tally.add(*outcome)
            if progress is not None:
                progress(outcome[0])

        put_content = partial(self._put_content, run_id)
        put_record = partial(self._put_record, run_id)
        with ThreadPoolExecutor(self._concurrency, "transcripts", initializer=carry_context()) as pool:
            missing: set[str] = set()
            for content, outcome in zip(plan.contents, pool.map(put_content, plan.contents), strict=True):
                note(outcome)
                if outcome[1] is not _Fate.SENT:
                    missing.add(content.id)
            for record in plan.records:
                if record.content_id in missing:
                    reason = f"not delivered, will be retried: its content {record.content_id} is not in Workday"
                    note((self._failure(DeliveryKind.RECORD, record.id, reason), _Fate.FAILED))
            for outcome in pool.map(put_record, [r for r in plan.records if r.content_id not in missing]):
                note(outcome)
        self._runs.record_actions(run_id, tally.actions)
        return tally

    def _put_content(self, run_id: int, content: ImportedContent) -> tuple[ActionRecord, _Fate]:
        result = self._sink.put_content(content)
        return self._settle(run_id, DeliveryKind.CONTENT, content.id, content.payload_hash, result)

    def _put_record(self, run_id: int, record: ImportedRecord) -> tuple[ActionRecord, _Fate]:
        result = self._sink.put_record(record)
        return self._settle(run_id, DeliveryKind.RECORD, record.id, record.payload_hash, result)

    def _settle(
        self, run_id: int, kind: DeliveryKind, item_id: str, payload_hash: str, result: Result[str, DeliveryRefused]
    ) -> tuple[ActionRecord, _Fate]:
        """Records what Workday said in the ledger, on the worker thread, before anything else happens."""
        at = self._clock.now()
        match result:
            case Success(reference):
                delivery = Delivery(kind, item_id, payload_hash, DeliveryOutcome.DELIVERED, at, str(reference))
                self._deliveries.record_delivery(run_id, self._tenant, delivery)
                return ActionRecord(kind.value, item_id, "put", at, ActionResult.APPLIED), _Fate.SENT
            case Failure(refused) if not refused.retryable:
                delivery = Delivery(kind, item_id, payload_hash, DeliveryOutcome.REJECTED, at, message=str(refused))
                self._deliveries.record_delivery(run_id, self._tenant, delivery)
                return self._failure(kind, item_id, f"rejected by Workday: {refused}"), _Fate.REJECTED
            case Failure(refused):
                return self._failure(kind, item_id, f"not delivered, will be retried: {refused}"), _Fate.FAILED
        raise AssertionError(f"unreachable: {result!r}")  # pragma: no cover

    def _failure(self, kind: DeliveryKind, item_id: str, error: str) -> ActionRecord:
        return ActionRecord(kind.value, item_id, "put", self._clock.now(), ActionResult.FAILED, error)
