from __future__ import annotations

from collections.abc import Iterable, Iterator

from domain.errors import ReportUnavailable
from domain.ports.worker_directory import WorkerDirectory
from domain.workers import ReportEntry


class InMemoryWorkerDirectory(WorkerDirectory):
    """A report held in memory. ``fail_after`` makes reading raise ``ReportUnavailable`` after that many
    rows, as a report cut short in transit does."""

    def __init__(self, entries: Iterable[ReportEntry] = (), fail_after: int | None = None) -> None:
        self.rows: list[ReportEntry] = list(entries)
        self.fail_after = fail_after

    def entries(self) -> Iterator[ReportEntry]:
        for number, entry in enumerate(self.rows):
            if self.fail_after is not None and number >= self.fail_after:
                raise ReportUnavailable(f"the report was cut short after {number} rows")
            yield entry
