"""The sandbox's ASGI application: Workday's token endpoint, RaaS and the Learning web service (SOAP), and the
provider API under ``/lumiq``."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from sandbox import learning_endpoint, lumiq_completions, lumiq_endpoints, oauth_endpoint, raas_endpoint
from sandbox.fault_middleware import LUMIQ_PREFIX, FaultMiddleware
from sandbox.lumiq_errors import error_response
from sandbox.state import SandboxState


def build_app(state: SandboxState) -> Starlette:
    lumiq = Starlette(
        routes=lumiq_endpoints.routes() + lumiq_completions.routes(),
        exception_handlers={HTTPException: _lumiq_http_error},
    )
    app = Starlette(
        routes=[
            Route("/ccx/oauth2/{tenant}/token", oauth_endpoint.token, methods=["POST"]),
            Route("/ccx/service/customreport2/{tenant}/{owner}/{report}", raas_endpoint.report, methods=["GET"]),
            Route("/ccx/service/{tenant}/Learning/{version}", learning_endpoint.learning, methods=["GET", "POST"]),
            Mount(LUMIQ_PREFIX, app=lumiq),
        ],
        middleware=[Middleware(FaultMiddleware, state=state)],
    )
    app.state.sandbox = state
    lumiq.state.sandbox = state
    return app


async def _lumiq_http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return error_response(status, str(exc.detail) if isinstance(exc, HTTPException) else "internal error")
