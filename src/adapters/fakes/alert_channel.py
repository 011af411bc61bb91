from __future__ import annotations

from returns.result import Failure, Result, Success

from domain.alerts import Notice
from domain.ports.alert_channel import AlertChannel


class RecordingAlertChannel(AlertChannel):
    """A channel that keeps every notice it takes in ``sent``; while ``failing`` it takes none."""

    def __init__(self, name: str = "recording", failing: bool = False) -> None:
        self._name = name
        self.failing = failing
        self.sent: list[Notice] = []

    @property
    def name(self) -> str:
        return self._name

    def send(self, notice: Notice) -> Result[None, str]:
        if self.failing:
            return Failure(f"the {self._name} is down")
        self.sent.append(notice)
        return Success(None)
