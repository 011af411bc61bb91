"""The ports the core needs, one capability per module, as ``typing.Protocol``s."""

from domain.ports.clock import Clock
from domain.ports.member_registry import MemberRegistry
from domain.ports.sync_ledger import SyncLedger
from domain.ports.worker_directory import WorkerDirectory

__all__ = ["Clock", "MemberRegistry", "SyncLedger", "WorkerDirectory"]
