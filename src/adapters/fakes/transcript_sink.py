from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Iterable

from returns.result import Failure, Result, Success

from domain.deliveries import DeliveryRefused
from domain.ports.transcript_sink import TranscriptSink
from domain.transcripts import ImportedContent, ImportedRecord


class InMemoryTranscriptSink(TranscriptSink):
    """Workday's imported content and records in dicts, with Workday's rules as the sandbox plays them: an
    unknown learner or a record for content Workday lacks is refused as invalid. ``transient`` holds item IDs
    that fail as if retries ran out (once each)."""

    def __init__(self, learners: Iterable[str] | None = None, transient: Iterable[str] = ()) -> None:
        self.contents: dict[str, ImportedContent] = {}
        self.records: dict[str, ImportedRecord] = {}
        self.puts = 0
        self.put_counts: Counter[str] = Counter()
        self.learners = None if learners is None else set(learners)
        self.transient = set(transient)
        self._references = itertools.count(1)
        self._lock = threading.Lock()

    def put_content(self, content: ImportedContent) -> Result[str, DeliveryRefused]:
        with self._lock:
            self.puts += 1
            self.put_counts[content.id] += 1
            if content.id in self.transient:
                self.transient.discard(content.id)
                return Failure(DeliveryRefused(content.id, "503 Service Unavailable (retries ran out)", True))
            self.contents[content.id] = content
            return Success(f"wid-content-{content.id}")

    def put_record(self, record: ImportedRecord) -> Result[str, DeliveryRefused]:
        with self._lock:
            self.puts += 1
            self.put_counts[record.id] += 1
            if record.id in self.transient:
                self.transient.discard(record.id)
                return Failure(DeliveryRefused(record.id, "503 Service Unavailable (retries ran out)", True))
            if self.learners is not None and record.learner_employee_id not in self.learners:
                message = (
                    f"Invalid ID value. '{record.learner_employee_id}' is not a valid ID value for type = 'Employee_ID'"
                )
                return Failure(DeliveryRefused(record.id, message, False, "Learner_Reference"))
            if record.content_id not in self.contents:
                message = (
                    f"Invalid ID value. '{record.content_id}' is not a valid ID value "
                    "for type = 'Learning_Imported_Content_ID'"
                )
                return Failure(DeliveryRefused(record.id, message, False, "Learning_Imported_Content_Reference"))
            self.records[record.id] = record
            return Success(f"wid-record-{next(self._references)}")
