"""``POST /ccx/oauth2/{tenant}/token``: Workday's OAuth2 token endpoint for an API client for integrations.

Only the refresh-token grant is served. The client authenticates with an HTTP Basic header or with
``client_id``/``client_secret`` in the form (both are seen against Workday). Errors follow RFC 6749 section 5.2.
Inferred: the statuses (400 for grant errors, 401 for client errors) follow the RFC and what integrators
handle; Workday's own documentation is not public.
"""

from __future__ import annotations

import binascii
from base64 import b64decode
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandbox.state import SandboxState

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def token(request: Request) -> Response:
    state: SandboxState = request.app.state.sandbox
    if not state.config.serves(request.path_params["tenant"]):
        # Inferred: an unknown tenant is simply not found.
        return _error(404, "invalid_request", "unknown tenant")
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return _error(400, "invalid_request", "the body must be application/x-www-form-urlencoded")
    form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
    credentials = _basic_credentials(request) or (form.get("client_id", ""), form.get("client_secret", ""))
    if not all(credentials) or not state.tokens.client_is_known(*credentials):
        return _error(401, "invalid_client", "client authentication failed", {"WWW-Authenticate": "Basic"})
    grant_type = form.get("grant_type")
    if not grant_type:
        return _error(400, "invalid_request", "grant_type is missing")
    if grant_type != "refresh_token":
        return _error(400, "unsupported_grant_type", f"grant_type {grant_type!r} is not supported")
    refresh_token = form.get("refresh_token")
    if not refresh_token:
        return _error(400, "invalid_request", "refresh_token is missing")
    grant = state.tokens.redeem(refresh_token)
    if grant is None:
        return _error(400, "invalid_grant", "the refresh token is invalid, expired or revoked")
    body: dict[str, str | int] = {
        "access_token": grant.access_token,
        "token_type": "Bearer",
        "expires_in": grant.expires_in,
    }
    if grant.refresh_token is not None:
        body["refresh_token"] = grant.refresh_token
    return JSONResponse(body, headers=_NO_STORE)


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, client_secret = b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return client_id, client_secret


def _error(status: int, error: str, description: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": error, "error_description": description}, status, {**_NO_STORE, **(headers or {})})
