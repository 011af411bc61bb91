"""The ports the core needs, one capability per module, as ``typing.Protocol``s."""

from domain.ports.clock import Clock
from domain.ports.completion_source import CompletionSource
from domain.ports.delivery_ledger import DeliveryLedger
from domain.ports.member_registry import MemberRegistry
from domain.ports.sync_ledger import SyncLedger
from domain.ports.transcript_sink import TranscriptSink
from domain.ports.worker_directory import WorkerDirectory

__all__ = [
    "Clock",
    "CompletionSource",
    "DeliveryLedger",
    "MemberRegistry",
    "SyncLedger",
    "TranscriptSink",
    "WorkerDirectory",
]
