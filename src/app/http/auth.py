"""Who is calling, and for which account. A key comes as ``Authorization: Bearer <key>`` or, as StackOne sends
it, Basic with the key as the user name and an empty password; the account is the ``x-account-id`` header (a
configured tenant's name), or the key's only account when the header is absent. Keys are never logged."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from adapters.storage.api_keys import ApiKey, KeyScope, presented_as
from app.http.errors import ApiError
from app.http.key_cache import VerifiedKeys
from app.http.services import ApiDependencies, TenantServices

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="wlc", Basic realm="wlc"'}

SECURITY_SCHEMES: dict[str, dict[str, str]] = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "An API key from 'wlc keys create'."},
    "basic": {"type": "http", "scheme": "basic", "description": "The API key as the user name, an empty password."},
}
"""For the OpenAPI document (the "Authorize" button of /docs). The header is parsed below, not by FastAPI's
security classes: as dependencies they would run on every request, for no more than the document."""


@dataclass(frozen=True, slots=True)
class Caller:
    key_id: str
    tenant: TenantServices


def dependencies(request: Request) -> ApiDependencies:
    deps = request.app.state.deps
    assert isinstance(deps, ApiDependencies)
    return deps


def presented_key(authorization: str | None) -> str | None:
    """The key in an ``Authorization`` header, or None when there is none in a form this API reads."""
    if not authorization:
        return None
    scheme, _, credentials = authorization.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer":
        return credentials or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, _, password = decoded.partition(":")
        return user or password or None
    return None


def _refused(
    request: Request, status: int, message: str, key_id: str | None, headers: dict[str, str] | None = None
) -> ApiError:
    """The refusal, logged (as every 4xx, ``app.http.errors``) with the key's id (its public half) when there is
    one, never the key."""
    return ApiError(status, message, headers=headers, key_id=key_id)


async def _verified(request: Request) -> ApiKey:
    deps = dependencies(request)
    raw_key = presented_key(request.headers.get("authorization"))
    if raw_key is None:
        raise _refused(request, 401, "an API key is required: Authorization: Bearer <key>", None, _CHALLENGE)
    verified = request.app.state.verified_keys
    assert isinstance(verified, VerifiedKeys)
    key = await verified.verify(raw_key, deps.clock.now())
    if key is None:
        message = "the API key is not valid, or has expired or been revoked"
        raise _refused(request, 401, message, presented_as(raw_key), _CHALLENGE)
    return key


async def caller(
    request: Request,
    x_account_id: Annotated[str | None, Header(description="The account (tenant) to act on.")] = None,
) -> Caller:
    deps = dependencies(request)
    key = await _verified(request)
    if key.scope is KeyScope.ADMIN:
        raise _refused(request, 403, "an admin key may act on /admin only, not on an account's endpoints", key.id)
    account = x_account_id.strip() if x_account_id else None
    if account is None:
        if len(key.tenants) != 1:
            raise _refused(
                request, 400, "the x-account-id header is required: this key may act on several accounts", key.id
            )
        account = key.tenants[0]
    if account not in key.tenants:
        raise _refused(request, 403, f"this API key may not act on account {account!r}", key.id)
    if deps.tenants.registry.due():  # the tenants table is read off the event loop, every few seconds
        await run_in_threadpool(deps.tenants.registry.refresh)
    try:
        return Caller(key.id, deps.tenants.get(account))
    except KeyError:
        raise _refused(request, 403, f"account {account!r} is not configured on this server", key.id) from None


Authorized = Annotated[Caller, Depends(caller)]


@dataclass(frozen=True, slots=True)
class Admin:
    key_id: str


async def admin(request: Request) -> Admin:
    """A provider admin: a key made with ``wlc keys create --admin``; a tenant's key is refused with 403."""
    key = await _verified(request)
    if key.scope is not KeyScope.ADMIN:
        raise _refused(
            request, 403, "this API key is a tenant's: /admin needs an admin key (wlc keys create --admin)", key.id
        )
    return Admin(key.id)


AdminAuthorized = Annotated[Admin, Depends(admin)]
