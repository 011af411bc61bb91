"""Faults the sandbox injects on purpose, changeable while it runs: tests flip them to see the connector cope."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Literal

Side = Literal["workday", "lumiq"]
SoapFaultKind = Literal["processing", "reset"]
"""Which half of the sandbox a request is for: Workday (OAuth + RaaS) or the provider's API."""


@dataclass
class Faults:
    """``latency_ms`` is added to every response. ``error_rate`` (0..1) answers that share of requests with a
    status drawn from ``error_statuses``; ``fail_next`` answers the next requests with these statuses, in
    order, then goes back to normal. 429 and 503 carry ``Retry-After: retry_after_seconds``.
    ``truncate_report_after`` stops a report body after that many rows without closing the JSON or XML: the
    connection is cut (as a broken transfer would) unless ``truncate_cleanly``, which ends the chunked body
    properly so only the document is incomplete. ``report_rows_override`` serves the first that many rows
    only (a "shrunken" report). ``report_edits`` replaces fields of the rows at these positions (0-based,
    canonical field names), as odd data in a customer's Workday would. ``only`` limits the status faults and
    the latency to one side."""

    latency_ms: int = 0
    error_rate: float = 0.0
    error_statuses: tuple[int, ...] = (500, 503, 429)
    retry_after_seconds: int = 1
    fail_next: list[int] = field(default_factory=list)
    truncate_report_after: int | None = None
    truncate_cleanly: bool = False
    report_rows_override: int | None = None
    report_edits: dict[int, dict[str, str | None]] = field(default_factory=dict)
    only: Side | None = None
    processing_fault_rate: float = 0.0
    reset_connection_rate: float = 0.0
    reset_after_processing: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def applies_to(self, side: Side) -> bool:
        return self.only is None or self.only == side

    def next_failure(self, rng: random.Random) -> int | None:
        """The status to answer the current request with, or None to serve it normally."""
        with self._lock:
            if self.fail_next:
                return self.fail_next.pop(0)
            if self.error_rate > 0 and self.error_statuses and rng.random() < self.error_rate:
                return rng.choice(self.error_statuses)
        return None

    def soap_fault(self, rng: random.Random) -> SoapFaultKind | None:
        """The SOAP fault to inject into the current request, or None."""
        with self._lock:
            if self.reset_connection_rate > 0 and rng.random() < self.reset_connection_rate:
                return "reset"
            if self.processing_fault_rate > 0 and rng.random() < self.processing_fault_rate:
                return "processing"
        return None

    def clear(self) -> None:
        """Back to a well-behaved server."""
        with self._lock:
            self.latency_ms = 0
            self.error_rate = 0.0
            self.fail_next.clear()
            self.truncate_report_after = None
            self.truncate_cleanly = False
            self.report_rows_override = None
            self.report_edits = {}
            self.only = None
            self.processing_fault_rate = 0.0
            self.reset_connection_rate = 0.0
            self.reset_after_processing = False
