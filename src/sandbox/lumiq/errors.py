"""The provider API's one error shape: ``{"error": {"code", "message", "field"?}}`` (docs/lumiq-api.md)."""

from __future__ import annotations

from starlette.responses import JSONResponse

CODE_BY_STATUS = {
    401: "unauthorized",
    404: "not_found",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
    500: "internal",
    503: "unavailable",
}


class LumiqApiError(Exception):
    """Raised by the member store or an endpoint to answer with an error; ``field`` names the field at fault."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def error_response(status: int, message: str, field: str | None = None, retry_after: int | None = None) -> JSONResponse:
    error: dict[str, str] = {"code": CODE_BY_STATUS.get(status, "internal"), "message": message}
    if field is not None:
        error["field"] = field
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse({"error": error}, status, headers)
