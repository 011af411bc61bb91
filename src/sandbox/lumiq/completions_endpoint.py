"""``GET /lumiq/v1/completions?after=C&limit=N``: the provider's completions feed (docs/lumiq-api.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox.lumiq.endpoints import page_limit, provider_api
from sandbox.lumiq.member_store import MemberStore
from sandbox.state import SandboxState


async def list_completions(request: Request, _members: MemberStore) -> Response:
    state: SandboxState = request.app.state.sandbox
    limit = page_limit(request.query_params.get("limit"))
    entries, cursor, has_more = state.completions.page(request.query_params.get("after"), limit)
    return JSONResponse({"data": [entry.to_json() for entry in entries], "cursor": cursor, "has_more": has_more})


def routes() -> list[Route]:
    return [Route("/v1/completions", provider_api(list_completions), methods=["GET"])]
