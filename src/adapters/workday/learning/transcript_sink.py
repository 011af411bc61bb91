"""Imported content and imported records into Workday Learning through the Learning API (SOAP)."""

from __future__ import annotations

import time
from collections.abc import Callable

from returns.result import Result

from adapters.retries import RetryPolicy, Sleep
from adapters.workday.learning.client import LearningClient
from adapters.workday.learning.imported_requests import content_request, record_request
from adapters.workday.soap.results import write
from domain.deliveries import DeliveryRefused
from domain.ports.transcript_sink import TranscriptSink
from domain.transcripts import ImportedContent, ImportedRecord


class WorkdayTranscriptSink(TranscriptSink):
    """The tenant's imported content and records, through ``Put_Learning_Imported_Content`` and
    ``Put_Learning_Imported_Record``. Returns Workday's reference for the item: its WID, or its reference ID
    when the response names no WID.

    How Workday's answers become results:
    - a ``Validation_Fault`` is a ``Failure`` with ``retryable`` false, Workday's message(s) and the first
      XPath; never retried; so is a 4xx without a fault that judges the request itself (``SoapRequestRefused``:
      a 413, 400, 422...), with its status;
    - throttling (429, honouring ``Retry-After``), a 408, a 5xx without a SOAP fault, a timeout, a connection failure,
      a ``Processing_Fault`` and a ``Server`` fault are retried under ``retry``; when the retries run out, a
      ``Failure`` with ``retryable`` true;
    - another ``Client`` fault is a ``Failure`` with ``retryable`` true, not retried at once: nothing says the
      item is invalid, but sending it again straight away would get the same answer;
    - refused credentials (``SoapAuthRejected``), a token that cannot be had (the other ``WorkdayAuthError``\\ s)
      and a request Workday cannot take at all (``SoapRequestFailed``: a wrong endpoint, a request that does
      not fit the tenant's WSDL) are raised: they are no item's fault, every item would fail the same way,
      and the run should stop.

    Thread-safe: the rate limit is kept by the client's limiter, shared by all calls for the tenant.
    """

    def __init__(self, client: LearningClient, *, retry: RetryPolicy | None = None, sleep: Sleep = time.sleep) -> None:
        self._client = client
        self._retry = retry or RetryPolicy()
        self._sleep = sleep

    def put_content(self, content: ImportedContent) -> Result[str, DeliveryRefused]:
        request = content_request(content, self._client.version)
        return self._put(
            f"imported content {content.id}", content.id, lambda: self._client.put_imported_content(request, content.id)
        )

    def put_record(self, record: ImportedRecord) -> Result[str, DeliveryRefused]:
        request = record_request(record, self._client.version)
        return self._put(
            f"imported record {record.id}", record.id, lambda: self._client.put_imported_record(request, record.id)
        )

    def _put(self, what: str, item_id: str, send: Callable[[], str]) -> Result[str, DeliveryRefused]:
        return write(what, send, self._retry, self._sleep, item_id=item_id)
