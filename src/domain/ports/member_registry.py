from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from returns.result import Result

from domain.members import Member
from domain.membership_plan import FieldChange
from domain.workers import Worker


@runtime_checkable
class MemberRegistry(Protocol):
    """The provider's members for one customer organisation (LumiQ).

    Contract:
    - ``members`` yields every member, removed ones included, or raises ``domain.errors.RegistryUnavailable``
      if the list cannot be read to its end.
    - ``invite`` gives the worker a seat and returns the new (or reinstated) member in status invited.
    - ``update`` applies ``changes`` to the member and returns it as it now is.
    - ``remove`` takes the member's seat away and returns it in status removed; removing a removed member
      succeeds and changes nothing.
    - An action the provider refuses, or that cannot be delivered after retries, is a ``Failure`` holding a
      message that names the member and, where the provider says, the field. It never raises for that.
    """

    @abstractmethod
    def members(self) -> Iterator[Member]: ...

    @abstractmethod
    def invite(self, worker: Worker) -> Result[Member, str]: ...

    @abstractmethod
    def update(self, member: Member, changes: tuple[FieldChange, ...]) -> Result[Member, str]: ...

    @abstractmethod
    def remove(self, member: Member) -> Result[Member, str]: ...
