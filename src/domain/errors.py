"""The domain's errors. Expected outcomes (a bad report row, a rejected action) are values, not exceptions;
these classes are for values that cannot exist and for ports that cannot do their job at all.

DomainError
├── InvalidValue              a value failed its own check on creation; names the field
└── PortUnavailable           an external system could not serve a whole request; adapters raise subclasses
    ├── ReportUnavailable     the worker report could not be read to its end (HTTP error, bad body, auth)
    ├── RegistryUnavailable   the provider's member list could not be read
    ├── SourceUnavailable     the provider's completion feed could not be read
    └── LedgerUnavailable     the sync ledger could not be read or written
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain defines."""


class InvalidValue(DomainError, ValueError):
    """Raised when a value is built from data that breaks its rule. ``field`` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class PortUnavailable(DomainError):
    """Raised by an adapter when its external system cannot serve a request as a whole."""


class ReportUnavailable(PortUnavailable):
    """Raised when the Workday worker report cannot be read to its end; nothing may be planned from it."""


class RegistryUnavailable(PortUnavailable):
    """Raised when the provider's member list cannot be read; nothing may be planned without it."""


class SourceUnavailable(PortUnavailable):
    """Raised when the provider's completion feed cannot be read; nothing is planned from part of a page."""


class LedgerUnavailable(PortUnavailable):
    """Raised when the sync ledger cannot be read or written."""
