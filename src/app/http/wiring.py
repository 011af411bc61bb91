"""The API's composition for ``wlc serve``: the application container (``app.application``), as the API's
dependencies."""

from __future__ import annotations

from app.application import build_application
from app.http.services import ApiDependencies, api_dependencies
from app.settings import Settings


def build_dependencies(settings: Settings) -> ApiDependencies:
    return api_dependencies(build_application(settings=settings))
