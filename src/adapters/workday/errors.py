"""The errors the Workday adapters raise. Each names what went wrong in words an operator can act on, and
none carries a secret (client secret, refresh token, access token, password) or a whole response body.

WorkdayError                      base of every Workday adapter error
├── WorkdayAuthError              credentials could not be turned into access to Workday
│   ├── RefreshTokenRejected      the token endpoint answered ``invalid_grant``
│   ├── ClientRejected            the token endpoint answered ``invalid_client``
│   └── TokenEndpointError        any other failure to get an access token
└── RaasReportError               a RaaS report could not be read to its end
                                  (also a ``domain.errors.ReportUnavailable``)

The SOAP (Learning API) adapter adds its own branch under ``WorkdayError``.
"""

from __future__ import annotations

from domain.errors import ReportUnavailable

MAX_DETAIL_CHARS = 300
"""How much of a response body an error message may quote."""


def excerpt(text: str, limit: int = MAX_DETAIL_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters, for quoting a response in an error message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else f"{flat[:limit]}…"


class WorkdayError(Exception):
    """Base of every error a Workday adapter raises."""


class WorkdayAuthError(WorkdayError):
    """Raised when the configured credentials could not be turned into access to Workday."""


class RefreshTokenRejected(WorkdayAuthError):
    """Raised when the token endpoint answers ``invalid_grant``: the refresh token has expired, was revoked
    or was replaced. Only a person can fix it, in Workday."""

    MESSAGE = "refresh token expired or revoked: generate a new one in Workday (Manage Refresh Tokens for Integrations)"

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


class ClientRejected(WorkdayAuthError):
    """Raised when the token endpoint answers ``invalid_client``: the client id or secret is wrong, or the
    client id is in the wrong form. Workday often displays an API client id Base64-encoded while the token
    endpoint expects the UUID it encodes."""

    def __init__(self, detail: str = "") -> None:
        message = (
            "Workday rejected the OAuth client (invalid_client): check the client id and secret in "
            "View API Clients; if the client id looks Base64-encoded, use the UUID it decodes to"
        )
        super().__init__(f"{message} ({detail})" if detail else message)


class TokenEndpointError(WorkdayAuthError):
    """Raised when the token endpoint cannot be reached, answers with another error, or answers without
    an access token."""


class RaasReportError(WorkdayError, ReportUnavailable):
    """Raised while reading a RaaS report when it cannot be read to its end: an HTTP error, a transport
    error, failed authentication, a body that is not a report, or a body cut short. ``status_code`` is the
    HTTP status when Workday answered with an error."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
