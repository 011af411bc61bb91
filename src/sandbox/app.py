"""The sandbox's ASGI application: Workday's token endpoint, RaaS, the Learning web service (SOAP) and the
Learning REST API, and the provider's side: its API under ``/lumiq`` and its cover images under ``/images``."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from sandbox.faults.middleware import LUMIQ_PREFIX, FaultMiddleware
from sandbox.images import covers as cover_images
from sandbox.lumiq import completions_endpoint as lumiq_completions
from sandbox.lumiq import endpoints as lumiq_endpoints
from sandbox.lumiq.errors import error_response
from sandbox.state import SandboxState
from sandbox.workday.learning import endpoint as learning_endpoint
from sandbox.workday.oauth import endpoint as oauth_endpoint
from sandbox.workday.raas import endpoint as raas_endpoint
from sandbox.workday.rest import learning as learning_rest
from sandbox.workday.talent import endpoint as talent_endpoint


def build_app(state: SandboxState) -> Starlette:
    lumiq = Starlette(
        routes=lumiq_endpoints.routes() + lumiq_completions.routes(),
        exception_handlers={HTTPException: _lumiq_http_error, ClientDisconnect: _gone},
    )
    app = Starlette(
        routes=[
            Route("/ccx/oauth2/{tenant}/token", oauth_endpoint.token, methods=["POST"]),
            Route("/ccx/service/customreport2/{tenant}/{owner}/{report}", raas_endpoint.report, methods=["GET"]),
            Route(
                "/ccx/service/{tenant}/Learning/{version}", learning_endpoint.LEARNING.handle, methods=["GET", "POST"]
            ),
            Route("/ccx/service/{tenant}/Talent/{version}", talent_endpoint.TALENT.handle, methods=["GET", "POST"]),
            Route(f"{learning_rest.REST_PREFIX}/{{tenant}}/content", learning_rest.content, methods=["GET"]),
            Route(
                f"{learning_rest.REST_PREFIX}/{{tenant}}/content/{{id}}/lessons", learning_rest.lessons, methods=["GET"]
            ),
            Route(
                f"{learning_rest.COURSE_IMAGE_PREFIX}/{{tenant}}/{{wid}}/{{name}}",
                learning_rest.course_image,
                methods=["GET"],
            ),
            Route(f"{cover_images.IMAGES_PREFIX}/{{name}}", cover_images.image, methods=["GET"]),
            Mount(LUMIQ_PREFIX, app=lumiq),
        ],
        middleware=[Middleware(FaultMiddleware, state=state)],
        exception_handlers={ClientDisconnect: _gone},
    )
    app.state.sandbox = state
    lumiq.state.sandbox = state
    return app


async def _lumiq_http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return error_response(status, str(exc.detail) if isinstance(exc, HTTPException) else "internal error")


async def _gone(request: Request, exc: Exception) -> Response:
    """A client that hung up while its request's body was read (a worker killed mid-request): nobody hears the
    answer, and it is not the sandbox's error to log."""
    return Response(status_code=499)
