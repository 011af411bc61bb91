"""The errors the Workday adapters raise. Each names what went wrong in words an operator can act on, and
none carries a secret (client secret, refresh token, access token, password) or a whole response body.

WorkdayError                      base of every Workday adapter error; a ``domain.errors.PortUnavailable``,
│                                 so a use case that meets one ends its run as failed, with this message
├── WorkdayAuthError              credentials could not be turned into access to Workday
│   ├── RefreshTokenRejected      the token endpoint answered ``invalid_grant``
│   ├── ClientRejected            the token endpoint answered ``invalid_client``
│   ├── TokenEndpointError        any other failure to get an access token
│   ├── SoapAuthRejected          the Learning API refused the ISU password or the access token
│   └── RestAuthRejected          the Learning REST API refused the access token (401 after a refresh, 403)
├── RestRequestFailed             a Learning REST API request failed for good (an HTTP error, a body that is
│                                 not the expected JSON); throttling and outages are ``WorkdayUnavailable``
├── RaasReportError               a RaaS report could not be read to its end
│   │                             (also a ``domain.errors.ReportUnavailable``)
│   └── RaasColumnsMismatch       the report's columns are not the configured ones
└── WorkdaySoapError              a Learning API (SOAP) request did not succeed
    ├── WsdlUnavailable           the Learning WSDL could not be loaded or lacks the Learning binding
    ├── ContractMismatch          the tenant's WSDL lacks a name a feature needs, or zeep found a request not to fit
    │                             it: raised before anything is sent; no item's fault
    ├── SoapRequestFailed         a request Workday cannot take at all, whatever it holds: a wrong endpoint
    │                             (404, 405, 410…), or one that does not fit the tenant's WSDL
    ├── SoapRequestRefused        Workday judged this request itself, without a SOAP fault (413 too large,
    │                             400, 422…): never retried; a write ends as a refusal, as for a Validation_Fault
    ├── WorkdayUnavailable        throttled (429), 408, a 5xx without a SOAP fault, a timeout or a
    │                             connection failure: retried
    ├── WorkdayFault              a SOAP fault that is neither of the two below (``retryable`` for Server faults)
    │   ├── WorkdayValidationFault  a ``Validation_Fault``: Workday judged the request invalid; never retried
    │   └── WorkdayProcessingFault  a ``Processing_Fault``: Workday failed to process it; retried
    └── WorkdayGaveUp             the retries of one request ran out; ``last`` is the last error

Every ``WorkdaySoapError`` says with ``retryable`` whether sending the same request again may succeed.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import PortUnavailable, ReportUnavailable

MAX_DETAIL_CHARS = 300
"""How much of a response body an error message may quote."""


def excerpt(text: str, limit: int = MAX_DETAIL_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters, for quoting a response in an error message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else f"{flat[:limit]}…"


class WorkdayError(PortUnavailable):
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


class RaasColumnsMismatch(RaasReportError):
    """Raised while reading a RaaS report whose first rows lack a column every valid row has (``wid``, say):
    the report names its columns otherwise than the settings say. ``expected`` are the configured aliases,
    ``found`` the columns the rows had."""

    def __init__(self, message: str, expected: tuple[str, ...], found: tuple[str, ...]) -> None:
        super().__init__(message)
        self.expected = expected
        self.found = found


class SoapAuthRejected(WorkdayAuthError):
    """Raised when the Learning API refuses the credentials: a fault saying ``invalid username or password``
    (a wrong ISU name, password or tenant in ``user@tenant``), or HTTP 401/403 (for OAuth, after one refresh).
    It is no fault of any item: every request would fail the same way until a person fixes the credentials."""


class RestAuthRejected(WorkdayAuthError):
    """Raised when the Learning REST API answers 401 (after one token refresh) or 403: the API client lacks
    the Learning scope, or its token is refused."""


class RestRequestFailed(WorkdayError):
    """Raised when a Learning REST API request fails in a way that does not pass: an HTTP error other than
    429 or 5xx, or a body that is not the JSON the API documents. ``status_code`` is the HTTP status, if any."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class WorkdaySoapError(WorkdayError):
    """Base of the Learning API's errors. ``retryable`` says whether the same request may succeed later."""

    retryable: bool = False


class WsdlUnavailable(WorkdaySoapError):
    """Raised when the Learning WSDL cannot be fetched or parsed, or lacks the Learning binding."""


class ContractMismatch(WorkdaySoapError):
    """Raised before anything is sent when the tenant's WSDL lacks an operation, element or ID type that a feature
    needs (``feature``, ``missing``), or when zeep finds that a request does not fit the WSDL (an operation it lacks,
    a keyword it does not take, a type it does not know). It is no item's fault: every item needing that name fails
    the same way until the connector or the tenant's Workday changes, so a write is never recorded as refused for
    it. ``service`` and ``version`` name the WSDL."""

    def __init__(
        self, message: str, *, service: str, version: str, feature: str | None = None, missing: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.service = service
        self.version = version
        self.feature = feature
        self.missing = missing


class SoapRequestFailed(WorkdaySoapError):
    """Raised when Workday answers with an HTTP error status that says every request would fail the same way
    (404 for a wrong endpoint URL, 405, 410…), or a request does not fit the tenant's WSDL: a configuration
    problem, not an item's."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class SoapRequestRefused(WorkdaySoapError):
    """Raised when Workday answers a request with a 4xx that judges the request itself and carries no SOAP fault:
    413 (the body is larger than the tenant takes), 400, 414, 422 and any 4xx not named as transient,
    credentials or configuration. The same request would get the same answer, so it is never retried, and a
    write ends as a refusal that names the item, as a Validation_Fault does. ``status_code`` is the status."""

    def __init__(self, message: str, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


class WorkdayUnavailable(WorkdaySoapError):
    """Raised when a request failed for a reason that passes: 429 (throttled), 408 (the server timed out
    waiting for it), a 5xx without a SOAP fault, a timeout or a connection failure. ``retry_after`` is the
    seconds Workday asked to wait, if it did."""

    retryable = True

    def __init__(self, message: str, status_code: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.retry_after = retry_after


class WorkdayFault(WorkdaySoapError):
    """Raised for a SOAP fault other than a Validation_Fault or Processing_Fault. A ``Server`` fault is
    retryable; a ``Client`` fault is not retried at once, but is not a judgement of the item either."""

    def __init__(self, message: str, code: str = "", *, retryable: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class ValidationError:
    """One ``wd:Validation_Error`` of a Validation_Fault."""

    message: str
    detail_message: str | None = None
    xpath: str | None = None


class WorkdayValidationFault(WorkdayFault):
    """Raised for a ``Validation_Fault``: Workday judged the request invalid (an unknown learner, content
    Workday lacks, a malformed element). ``errors`` holds each ``Validation_Error`` in Workday's order.
    Sending the same request again gives the same answer, so it is never retried."""

    def __init__(self, faultstring: str, errors: tuple[ValidationError, ...], code: str = "") -> None:
        super().__init__(faultstring, code, retryable=False)
        self.errors = errors

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(e.message for e in self.errors if e.message)

    @property
    def xpaths(self) -> tuple[str, ...]:
        return tuple(e.xpath for e in self.errors if e.xpath)


class WorkdayProcessingFault(WorkdayFault):
    """Raised for a ``Processing_Fault``: Workday accepted the request as valid but failed to process it.
    Retried: the processing failures Workday reports this way (locks held by another process, an internal
    error) usually pass, and one that does not ends as a retryable refusal that the next run sends again."""

    def __init__(self, faultstring: str, detail_message: str | None, code: str = "") -> None:
        super().__init__(faultstring, code, retryable=True)
        self.detail_message = detail_message


class WorkdayGaveUp(WorkdaySoapError):
    """Raised when the retries of one request ran out. ``last`` is the error of the last attempt."""

    retryable = True

    def __init__(self, message: str, attempts: int, last: WorkdaySoapError) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.last = last
