from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from domain.workers import ReportEntry


@runtime_checkable
class WorkerDirectory(Protocol):
    """The customer's worker report (a Workday RaaS custom report).

    Contract:
    - ``entries`` yields one ``ReportEntry`` per report row, in report order, as the report is read: a
      ``Worker`` for a valid row, a ``MalformedRow`` naming the row number and field otherwise. A bad row
      never stops the rows after it.
    - If the report cannot be read to its end (HTTP error, authentication failure, a body that is not a
      report or is cut short), iteration raises ``domain.errors.ReportUnavailable`` with a message an
      operator can act on; the caller must then plan nothing from what it saw.
    - Each call reads the report afresh.
    """

    @abstractmethod
    def entries(self) -> Iterator[ReportEntry]: ...
