"""Shared by the reliability suite: a container pointed at a running sandbox whose retry waits are recorded
rather than slept, and counters of what the sandbox's Learning endpoint refused as invalid."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from dependency_injector import providers
from lxml import etree

from adapters.lumiq import LumiqCompletionSource, LumiqMemberRegistry
from adapters.retries import RetryPolicy
from adapters.workday.learning.transcript_sink import WorkdayTranscriptSink
from app.container import TenantContainer, build_container
from app.sandbox_settings import sandbox_settings
from sandbox.server import SandboxServer
from sandbox.workday.learning import endpoint as learning_endpoint
from sandbox.workday.learning.operations import LearningContext, Operation
from sandbox.workday.soap.envelopes import wd
from sandbox.workday.soap.faults import SoapFault

SOAP_RETRY = RetryPolicy(attempts=6, backoff=0.5, max_wait=30.0, jitter=0.5, max_total_wait=120.0)
LUMIQ_RETRY = RetryPolicy(attempts=6, backoff=0.5, max_wait=30.0, jitter=0.5, max_total_wait=120.0)
PUT_RECORD = wd("Put_Learning_Imported_Record_Request")
PUT_CONTENT = wd("Put_Learning_Imported_Content_Request")


class RecordedSleeps:
    """A ``sleep`` for the retry loops that records each wait and returns at once: the retries happen in the
    order they would, without the wall-clock time. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        assert seconds >= 0, f"a negative wait: {seconds}"
        with self._lock:
            self.waits.append(seconds)

    @property
    def total(self) -> float:
        with self._lock:
            return sum(self.waits)


def sandbox_container(sandbox: SandboxServer, ledger_url: str, sleeps: RecordedSleeps) -> TenantContainer:
    """The container ``wlc`` builds for a sandbox tenant, with the adapters' retry waits recorded, not slept."""
    container = build_container(settings=sandbox_settings(sandbox.base_url, sandbox.config, ledger_url))
    tenant = container.tenant()
    api_key, page_size = tenant.lumiq.api_key, tenant.lumiq.page_size
    container.transcript_sink.override(
        providers.Singleton(WorkdayTranscriptSink, container.learning_client, retry=SOAP_RETRY, sleep=sleeps)
    )
    container.member_registry.override(
        providers.Singleton(
            LumiqMemberRegistry, container.lumiq_http, api_key, page_size=page_size, retry=LUMIQ_RETRY, sleep=sleeps
        )
    )
    container.completion_source.override(
        providers.Singleton(
            LumiqCompletionSource, container.lumiq_http, api_key, page_size=page_size, retry=LUMIQ_RETRY, sleep=sleeps
        )
    )
    return container


@contextmanager
def closing(container: TenantContainer) -> Iterator[TenantContainer]:
    try:
        yield container
    finally:
        container.shutdown_resources()


class InvalidPuts:
    """Counts, per item ID, the Put requests the sandbox's Learning endpoint processed and answered with a
    SOAP fault (a ``Validation_Fault``: Workday judged the item invalid), and the ones it stored."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.refused: Counter[str] = Counter()
        self.processed: Counter[str] = Counter()

    @contextmanager
    def watching(self) -> Iterator[InvalidPuts]:
        originals = {tag: learning_endpoint.OPERATIONS[tag] for tag in (PUT_RECORD, PUT_CONTENT)}
        for tag, operation in originals.items():
            learning_endpoint.OPERATIONS[tag] = self._counted(operation)
        try:
            yield self
        finally:
            learning_endpoint.OPERATIONS.update(originals)

    def _counted(self, operation: Operation) -> Operation:
        def counted(context: LearningContext, request: etree._Element) -> etree._Element:
            item = item_id(request)
            with self._lock:
                self.processed[item] += 1
            try:
                return operation(context, request)
            except SoapFault:
                with self._lock:
                    self.refused[item] += 1
                raise

        return counted


def item_id(request: etree._Element) -> str:
    """The ID of the item a Put request carries."""
    for data in request:
        found = data.find(wd("ID"))
        if found is not None and found.text:
            return found.text
    return "?"
