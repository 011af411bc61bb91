"""The provider API of docs/lumiq-api.md, served under ``/lumiq``: members, invitations, changes, removals."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from domain.errors import InvalidValue
from domain.workers import normalise_wid
from sandbox.lumiq.errors import LumiqApiError, error_response
from sandbox.lumiq.member_store import Invitation, MemberStore
from sandbox.state import SandboxState

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PATCHABLE = ("first_name", "last_name", "email", "workday_wid", "employee_id")
DEFAULT_PAGE_SIZE = 500
MAX_PAGE_SIZE = 1000

Endpoint = Callable[[Request], Awaitable[Response]]


def provider_api(handler: Callable[[Request, MemberStore], Awaitable[Response]]) -> Endpoint:
    """Checks the organisation's key, then runs ``handler``, turning a ``LumiqApiError`` into the error shape."""

    async def endpoint(request: Request) -> Response:
        state: SandboxState = request.app.state.sandbox
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or key.strip() != state.config.lumiq_api_key:
            return error_response(401, "a valid organisation API key is required")
        try:
            return await handler(request, state.lumiq)
        except LumiqApiError as error:
            return error_response(error.status, error.message, error.field)

    return endpoint


async def list_members(request: Request, store: MemberStore) -> Response:
    limit = page_limit(request.query_params.get("limit"))
    members, next_cursor = store.page(limit, request.query_params.get("cursor"))
    return JSONResponse({"data": [m.to_json() for m in members], "next_cursor": next_cursor})


async def invite(request: Request, store: MemberStore) -> Response:
    body = await request.body()

    def act() -> tuple[int, bytes]:
        try:
            status, member = store.invite(_invitation(_json_object(body)))
        except LumiqApiError as error:
            response = error_response(error.status, error.message, error.field)
            return response.status_code, bytes(response.body)
        return status, json.dumps(member.to_json()).encode()

    status, content = store.once(request.headers.get("idempotency-key"), act)
    return Response(content, status, media_type="application/json")


async def update(request: Request, store: MemberStore) -> Response:
    changes = _changes(_json_object(await request.body()))
    return JSONResponse(store.update(request.path_params["member_id"], changes).to_json())


async def remove(request: Request, store: MemberStore) -> Response:
    return JSONResponse(store.remove(request.path_params["member_id"]).to_json())


def routes() -> list[Route]:
    return [
        Route("/v1/members", provider_api(list_members), methods=["GET"]),
        Route("/v1/members/invitations", provider_api(invite), methods=["POST"]),
        Route("/v1/members/{member_id}", provider_api(update), methods=["PATCH"]),
        Route("/v1/members/{member_id}", provider_api(remove), methods=["DELETE"]),
    ]


def page_limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_PAGE_SIZE
    try:
        limit = int(value)
    except ValueError:
        raise LumiqApiError(422, f"{value!r} is not a number", "limit") from None
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise LumiqApiError(422, f"must be between 1 and {MAX_PAGE_SIZE}", "limit")
    return limit


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise LumiqApiError(422, "the body is not JSON") from None
    if not isinstance(value, dict):
        raise LumiqApiError(422, "the body is not a JSON object")
    return value


def _invitation(body: dict[str, Any]) -> Invitation:
    unknown = sorted(set(body) - set(_PATCHABLE))
    if unknown:
        raise LumiqApiError(422, "unknown field", unknown[0])
    return Invitation(
        first_name=_name(body, "first_name"),
        last_name=_name(body, "last_name"),
        email=_email(body.get("email")),
        workday_wid=_wid(body.get("workday_wid")),
        employee_id=_employee_id(body.get("employee_id")),
    )


def _changes(body: dict[str, Any]) -> dict[str, str | None]:
    unknown = sorted(set(body) - set(_PATCHABLE))
    if unknown:
        raise LumiqApiError(422, "unknown or read-only field", unknown[0])
    checks: dict[str, Callable[[Any], str | None]] = {
        "first_name": lambda _: _name(body, "first_name"),
        "last_name": lambda _: _name(body, "last_name"),
        "email": _email,
        "workday_wid": _wid,
        "employee_id": _employee_id,
    }
    return {name: checks[name](value) for name, value in body.items()}


def _name(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise LumiqApiError(422, "must be a non-blank string", field)
    return value.strip()


def _email(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _EMAIL.fullmatch(value.strip()):
        raise LumiqApiError(422, "not an email address", "email")
    return value.strip()


def _wid(value: Any) -> str:
    if not isinstance(value, str):
        raise LumiqApiError(422, "must be a Workday ID (32 hexadecimal characters)", "workday_wid")
    try:
        return normalise_wid(value)
    except InvalidValue as problem:
        raise LumiqApiError(422, problem.message, "workday_wid") from None


def _employee_id(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LumiqApiError(422, "must be a non-blank string", "employee_id")
    return value.strip()
