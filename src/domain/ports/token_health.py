from __future__ import annotations

from abc import abstractmethod
from collections.abc import Collection
from datetime import datetime
from typing import Protocol, runtime_checkable

from domain.tenant_status import TokenStatus


@runtime_checkable
class TokenHealthRecord(Protocol):
    """When each tenant's OAuth refresh token was last granted and last refused, for every process on the ledger
    (a refusal seen by the delivery process shows in the status the CLI reads). It keeps no token.

    Contract:
    - ``granted(tenant, at)`` records that Workday granted an access token for the tenant's refresh token at ``at``;
      ``refused(tenant, at, reason)`` that it refused it, and why. A later record of either kind replaces the
      earlier one of its kind; an earlier one (a slow process reporting late) changes nothing.
    - ``statuses(tenants)`` returns the record of each of ``tenants`` that has one.
    - A store that cannot be read or written raises ``domain.errors.LedgerUnavailable`` (a subclass).
    """

    @abstractmethod
    def granted(self, tenant: str, at: datetime) -> None: ...

    @abstractmethod
    def refused(self, tenant: str, at: datetime, reason: str) -> None: ...

    @abstractmethod
    def statuses(self, tenants: Collection[str]) -> dict[str, TokenStatus]: ...
