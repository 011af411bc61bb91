"""In-memory implementations of every port: real behaviour, no I/O. Used by unit tests, the contract
suites and dry runs."""

from adapters.fakes.clock import FixedClock
from adapters.fakes.completion_outbox import InMemoryCompletionOutbox
from adapters.fakes.completion_source import InMemoryCompletionSource
from adapters.fakes.cover_images import InMemoryCoverImages
from adapters.fakes.delivery_ledger import InMemoryDeliveryLedger
from adapters.fakes.enrollment_registry import InMemoryEnrollmentRegistry
from adapters.fakes.member_registry import InMemoryMemberRegistry
from adapters.fakes.sync_ledger import InMemorySyncLedger
from adapters.fakes.tenant_store import InMemoryTenantStore
from adapters.fakes.transcript_sink import InMemoryTranscriptSink
from adapters.fakes.workday_learning import InMemoryWorkdayLearning, PublishedCourse
from adapters.fakes.worker_directory import InMemoryWorkerDirectory

__all__ = [
    "FixedClock",
    "InMemoryCompletionOutbox",
    "InMemoryCompletionSource",
    "InMemoryCoverImages",
    "InMemoryDeliveryLedger",
    "InMemoryEnrollmentRegistry",
    "InMemoryMemberRegistry",
    "InMemorySyncLedger",
    "InMemoryTenantStore",
    "InMemoryTranscriptSink",
    "InMemoryWorkdayLearning",
    "InMemoryWorkerDirectory",
    "PublishedCourse",
]
