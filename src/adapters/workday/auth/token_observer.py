"""The refresh token's grants and refusals, recorded for the tenant's status and alerts
(``domain.ports.token_health``)."""

from __future__ import annotations

import logging

from domain.errors import LedgerUnavailable
from domain.ports.clock import Clock
from domain.ports.token_health import TokenHealthRecord

_log = logging.getLogger(__name__)


class RecordingRefreshObserver:
    """A ``RefreshObserver`` that records each grant and refusal of ``tenant``'s refresh token at the clock's time.
    A record that cannot be written is logged and dropped: Workday calls go on without it."""

    def __init__(self, record: TokenHealthRecord, tenant: str, clock: Clock) -> None:
        self._record = record
        self._tenant = tenant
        self._clock = clock

    def granted(self) -> None:
        try:
            self._record.granted(self._tenant, self._clock.now())
        except LedgerUnavailable as down:
            _log.warning("could not record that %s's refresh token was granted: %s", self._tenant, down)

    def refused(self, reason: str) -> None:
        try:
            self._record.refused(self._tenant, self._clock.now(), reason)
        except LedgerUnavailable as down:
            _log.warning("could not record that Workday refused %s's refresh token: %s", self._tenant, down)
