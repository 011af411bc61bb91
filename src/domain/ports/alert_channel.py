from __future__ import annotations

from abc import abstractmethod
from typing import Protocol, runtime_checkable

from returns.result import Result

from domain.alerts import Notice


@runtime_checkable
class AlertChannel(Protocol):
    """Where alerts and recovery notices go (a webhook, an email relay).

    Contract:
    - ``name`` is stable for the channel's settings: the incident log records which channels a notice reached, so
      that a channel that failed is tried again and one reached is not.
    - ``send(notice)`` delivers one notice, retrying what may pass by itself; Success once the channel took it, or
      Failure with why not. A channel's failure is a value, never an exception, and names no secret.
    """

    @property
    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    def send(self, notice: Notice) -> Result[None, str]: ...
