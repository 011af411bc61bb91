"""Imported content and imported records into Workday Learning through the Learning API (SOAP)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from returns.result import Failure, Result

from adapters.retries import RetryPolicy, Sleep
from adapters.workday.errors import ContractMismatch
from adapters.workday.learning import contract
from adapters.workday.learning.client import LearningClient
from adapters.workday.learning.imported_requests import content_request, record_request
from adapters.workday.soap.declaration import Feature, OperationName
from adapters.workday.soap.names import Request
from adapters.workday.soap.resolution import RequestNames
from adapters.workday.soap.results import write
from domain.deliveries import DeliveryRefused
from domain.ports.transcript_sink import TranscriptSink
from domain.transcripts import ImportedContent, ImportedRecord

_log = logging.getLogger(__name__)


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
    - a tenant whose WSDL lacks a name the item needs (``ContractMismatch``: no operation
      ``Put_Learning_Imported_Record``, an ID type for the content it knows none of) is a ``Failure`` with
      ``retryable`` true naming what is missing, before anything is sent: it is no fault of the item;
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
        return self._put(
            f"imported content {content.id}",
            content.id,
            contract.PUT_CONTENT,
            lambda names: content_request(content, self._client.version, names),
            self._client.put_imported_content,
        )

    def put_record(self, record: ImportedRecord) -> Result[str, DeliveryRefused]:
        return self._put(
            f"imported record {record.id}",
            record.id,
            contract.PUT_RECORD,
            lambda names: record_request(record, self._client.version, names),
            self._client.put_imported_record,
        )

    def _put(
        self,
        what: str,
        item_id: str,
        operation: OperationName,
        build: Callable[[RequestNames], Request],
        send: Callable[[Request, str], str],
    ) -> Result[str, DeliveryRefused]:
        try:
            self._client.names.require(Feature.TRANSCRIPTS, operation)
            names = RequestNames(self._client.names, Feature.TRANSCRIPTS)
            request = build(names)
            if names.left_out:
                _log.info("%s: %s", what, "; ".join(map(str, names.left_out)))
            return write(what, lambda: send(request, item_id), self._retry, self._sleep, item_id=item_id)
        except ContractMismatch as mismatch:
            # No fault of the item: it is not recorded as refused, and a later run sends it again once the
            # connector or the tenant's Workday has the names it needs.
            _log.warning("%s not sent: %s", what, mismatch)
            return Failure(DeliveryRefused(item_id, str(mismatch), retryable=True))
