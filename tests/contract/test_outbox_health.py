"""The outbox health contract (``domain.ports.outbox_health.OutboxHealth``), against the in-memory outbox and the
SQL outbox on SQLite and PostgreSQL (skipped when none answers)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.fakes import InMemoryCompletionOutbox
from adapters.fakes.outbox_health import InMemoryOutboxHealth
from adapters.storage.completion_outbox import SqlCompletionOutbox
from adapters.storage.outbox_health import SqlOutboxHealth
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.ports.completion_outbox import CompletionOutbox
from domain.ports.outbox_health import OutboxHealth
from domain.tenant_status import DeliveryStatus
from tests.contract.storage_fixtures import postgres_engine_in_own_schema, postgres_url_or_skip, sqlite_engine

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=10)


@dataclass
class Outbox:
    entries: CompletionOutbox
    health: OutboxHealth

    def enqueue(self, account: str, learner: str, at: datetime) -> int:
        completion = LearningCompletion(learner, "ADV-SALES-001", CompletionResult.PASS, NOW - timedelta(days=1))
        entry, _ = self.entries.enqueue(account, completion, at)
        assert self.entries.claim(entry.id, at, LEASE) is not None
        return entry.id


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def outbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Outbox]:
    if request.param == "fake":
        fake = InMemoryCompletionOutbox()
        yield Outbox(fake, InMemoryOutboxHealth(fake))
        return
    with ExitStack() as stack:
        if request.param == "sqlite":
            engine = stack.enter_context(sqlite_engine(tmp_path))
        else:
            engine = stack.enter_context(postgres_engine_in_own_schema(postgres_url_or_skip()))
        yield Outbox(SqlCompletionOutbox(engine), SqlOutboxHealth(engine))


def test_an_account_with_no_entries_has_the_empty_status(outbox: Outbox) -> None:
    assert outbox.health.deliveries(["acme"]) == {"acme": DeliveryStatus()}
    assert outbox.health.deliveries([]) == {}


def test_each_account_has_its_depth_oldest_pending_deliveries_and_refusals(outbox: Outbox) -> None:
    minute = timedelta(minutes=1)
    delivered = outbox.enqueue("acme", "1", NOW)
    refused_first = outbox.enqueue("acme", "2", NOW)
    refused_last = outbox.enqueue("acme", "3", NOW)
    outbox.enqueue("acme", "4", NOW + 2 * minute)  # pending, never tried
    retried = outbox.enqueue("acme", "5", NOW + 3 * minute)
    outbox.enqueue("globex", "1", NOW - minute)
    outbox.entries.mark_delivered(delivered, "enrollment-1", "course-1", NOW + 4 * minute)
    outbox.entries.mark_failed(refused_first, "Invalid ID value. '2'", NOW + 5 * minute)
    outbox.entries.mark_failed(refused_last, "Invalid ID value. '3'", NOW + 6 * minute)
    outbox.entries.retry_later(retried, "HTTP 503", NOW + 7 * minute, NOW + 9 * minute)

    assert outbox.health.deliveries(["acme", "globex", "initech"]) == {
        "acme": DeliveryStatus(
            depth=2,
            oldest_pending=NOW + 2 * minute,
            last_delivered=NOW + 4 * minute,
            last_failed=NOW + 7 * minute,
            refused=2,
            last_refused=NOW + 6 * minute,
            last_refusal="Invalid ID value. '3'",
        ),
        "globex": DeliveryStatus(depth=1, oldest_pending=NOW - minute),
        "initech": DeliveryStatus(),
    }


def test_times_come_back_aware_in_utc(outbox: Outbox) -> None:
    outbox.enqueue("acme", "1", NOW)

    oldest = outbox.health.deliveries(["acme"])["acme"].oldest_pending

    assert oldest is not None
    assert oldest.utcoffset() == timedelta(0)
    assert oldest == NOW.astimezone(UTC)
