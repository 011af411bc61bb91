"""How every failure looks on the wire: ``{"statusCode", "message", "timestamp", "provider_errors"}``, plus
``field`` (the offending field's path) when one field is to blame.

HTTP status by cause:
- 400 a request the API cannot route to an account (no ``x-account-id`` header where one is needed)
- 401 no key, a key the store does not know, or a revoked or expired one; 403 a key used on another account
- 404 an unknown resource; 409 a conflict (``LmsRefusal.reason``, a run already in progress)
- 413 a request body over its size limit (``app.http.body_limit``), refused before it is parsed
- 422 bad input: a body that is not JSON (line, column and why, ``app.json_syntax``), a payload that does not
  parse (``RequestValidationError``, path such as ``body.categories.0.name``), a value the domain refuses
  (``InvalidValue``, path ``e.field``), or an item Workday refused as invalid (its Validation_Fault in
  ``provider_errors``) or judged unacceptable as sent (a 413 or another 4xx without a SOAP fault): sending it
  again cannot help
- 502 Workday failed and the request may be tried again (``PortUnavailable``, ``LmsRefusal`` with status 502)
- 503 the ledger's database is unavailable (``LedgerUnavailable``), or the account's settings are incomplete
  (``ConfigurationError`` while building its adapters)
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from app.errors import ConfigurationError
from app.json_syntax import JsonSyntaxProblem, json_syntax_problem
from app.use_cases.lms import LmsRefusal, RefusalReason
from domain.errors import InvalidValue, LedgerUnavailable, PortUnavailable

log = logging.getLogger(__name__)


REFUSAL_STATUS = {
    RefusalReason.INVALID: 422,
    RefusalReason.NOT_FOUND: 404,
    RefusalReason.CONFLICT: 409,
    RefusalReason.UNAVAILABLE: 502,
}
"""How a caller of the API sees each reason a use case refuses for."""


class ApiError(Exception):
    """Raised by a route to answer with ``status`` and this body."""

    def __init__(
        self,
        status: int,
        message: str,
        field: str | None = None,
        provider_errors: Sequence[str] = (),
        headers: Mapping[str, str] | None = None,
        key_id: str | None = None,
        logged: str | None = None,
    ) -> None:
        super().__init__(message)
        self.key_id = key_id
        """The refused caller's key's id (its public half), for the log record."""
        self.logged = logged or message
        """What the log record says: more than the caller is told where telling would leak (another account's
        run is "not found" to the caller, "not this account's" to the operator)."""
        self.status = status
        self.message = message
        self.field = field
        self.provider_errors = tuple(provider_errors)
        self.headers = dict(headers) if headers is not None else None

    @classmethod
    def from_refusal(cls, refusal: LmsRefusal) -> ApiError:
        return cls(REFUSAL_STATUS[refusal.reason], refusal.message, refusal.field, refusal.provider_errors)


def error_body(
    status: int, message: str, field: str | None = None, provider_errors: Sequence[str] = ()
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "statusCode": status,
        "message": message,
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "provider_errors": list(provider_errors),
    }
    if field is not None:
        body["field"] = field
    return body


def field_path(location: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in location)


def respond(request: Request, error: ApiError) -> JSONResponse:
    body = error_body(error.status, error.message, error.field, error.provider_errors)
    if 400 <= error.status < 500:  # the reason a caller was refused, once (a 5xx is logged where it is caught)
        log.warning(
            "refused %s %s with %d: %s%s",
            request.method,
            # A path arrives percent-decoded: a line separator or a terminal escape in it must not forge a line.
            request.url.path.encode("unicode_escape").decode("ascii"),
            error.status,
            error.logged,
            f" (key {error.key_id})" if error.key_id else "",
            extra={"status": error.status, "field": error.field, "key_id": error.key_id},
        )
    return JSONResponse(body, status_code=error.status, headers=error.headers)


async def _api_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return respond(request, error)


async def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    unparsable = next((e for e in error.errors() if e.get("type") == "json_invalid"), None)
    if unparsable is not None and isinstance(error.body, str):
        return respond(request, ApiError(422, f"body is not JSON: {_syntax_problem(error.body, unparsable)}", "body"))
    problems = [(field_path(e.get("loc", ())), str(e.get("msg", "is invalid"))) for e in error.errors()]
    message = "; ".join(f"{path}: {msg}" for path, msg in problems) or "the request is invalid"
    return respond(request, ApiError(422, message, problems[0][0] if problems else None))


def _syntax_problem(body: str, problem: Mapping[str, Any]) -> JsonSyntaxProblem:
    """FastAPI's ``json_invalid`` error locates the problem as ``("body", character offset)``."""
    location = problem.get("loc", ())
    position = location[1] if len(location) > 1 and isinstance(location[1], int) else 0
    return json_syntax_problem(body, position, str(problem.get("ctx", {}).get("error", "")))


async def _invalid_value(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, InvalidValue)
    return respond(request, ApiError(422, str(error), error.field))


async def _port_unavailable(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, PortUnavailable)
    status = 503 if isinstance(error, LedgerUnavailable) else 502
    log.warning("%s %s: %s", request.method, request.url.path, error)
    return respond(request, ApiError(status, str(error)))


async def _misconfigured(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ConfigurationError)
    log.error("%s %s: %s", request.method, request.url.path, error)
    return respond(request, ApiError(503, f"the account is not fully configured on this server: {error}"))


_UNPARSABLE_BODY = "There was an error parsing the body"
"""FastAPI's 400 for a body its JSON decoder raised on other than a syntax error (e.g. nested too deeply)."""


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    if error.status_code == 400 and error.detail == _UNPARSABLE_BODY:
        return respond(request, ApiError(422, "body: the request body is not JSON this API can read", "body"))
    return respond(request, ApiError(error.status_code, str(error.detail), headers=error.headers))


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(InvalidValue, _invalid_value)
    app.add_exception_handler(PortUnavailable, _port_unavailable)
    app.add_exception_handler(ConfigurationError, _misconfigured)
    app.add_exception_handler(HTTPException, _http_error)
