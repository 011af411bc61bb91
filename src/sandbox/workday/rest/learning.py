"""Workday's Learning REST API (``/ccx/api/learning/v1/{tenant}``), read side, over the same catalog as SOAP.

Verified (reference section 8): ``GET /content`` answering ``{"data": [...]}`` with the fields ``id``,
``descriptor``, ``description``, ``contentNumber``, ``contentURL``, ``lifecycleStatus``, ``languages``,
``skills[{id, descriptor}]``, ``topics``, ``image{publicURL}``, its ``skills`` and ``topics`` filters and
``limit``; ``GET /content/{id}/lessons`` answering ``{"data": [...]}`` with ``id``, ``descriptor``, ``order``,
``required``, ``contentType``, ``externalContentData{contentURL}``; OAuth 2.0 bearer tokens.
Inferred: ``total``; ``offset`` (0-based) and ``limit`` (default 20, at most 100) as Workday's other REST APIs
page; ``contentNumber`` carrying the course's Learning_Course_ID; ``contentURL`` being the first external
lesson's URL; ``lifecycleStatus`` ``Active``/``Inactive``; ``languages[{id, descriptor}]`` and
``topics[{id, descriptor}]`` with WIDs as ids; the error bodies and statuses (401, 400, 404); ``publicURL``
served by the sandbox at ``/ccx/learning/images/{tenant}/{course WID}/{file name}`` without authentication.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandbox.state import SandboxState
from sandbox.workday.learning.courses import CatalogItem, CourseStore, StoredCourse

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
REST_PREFIX = "/ccx/api/learning/v1"
COURSE_IMAGE_PREFIX = "/ccx/learning/images"


async def content(request: Request) -> Response:
    catalog, refusal = _authorized(request)
    if catalog is None:
        return refusal
    limit = _integer(request, "limit", DEFAULT_LIMIT)
    offset = _integer(request, "offset", 0)
    if limit is None or not 1 <= limit <= MAX_LIMIT:
        return _invalid("limit", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    if offset is None or offset < 0:
        return _invalid("offset", "offset must be a whole number, 0 or more")
    courses = catalog.courses()
    skills = set(request.query_params.getlist("skills"))
    topics = set(request.query_params.getlist("topics"))
    if skills:
        courses = [c for c in courses if skills & {catalog.skill(s).wid for s in c.skill_ids}]
    if topics:
        courses = [c for c in courses if topics & {catalog.topic(t).wid for t in c.topic_ids}]
    base = str(request.base_url).rstrip("/")
    page = [_content(catalog, course, base) for course in courses[offset : offset + limit]]
    return JSONResponse({"total": len(courses), "data": page})


async def lessons(request: Request) -> Response:
    catalog, refusal = _authorized(request)
    if catalog is None:
        return refusal
    course = catalog.course_by_wid(request.path_params["id"])
    if course is None:
        return _error(404, "not found", f"no content has the id {request.path_params['id']!r}")
    data = []
    for lesson in course.lessons:
        item: dict[str, Any] = {
            "id": lesson.wid,
            "descriptor": lesson.title,
            "order": int(lesson.order) if lesson.order == lesson.order.to_integral_value() else float(lesson.order),
            "required": lesson.mandatory,
            # Inferred: the descriptors of the lesson types.
            "contentType": {"descriptor": "External Content" if lesson.kind == "external" else "Media"},
        }
        if lesson.kind == "external":
            item["description"] = lesson.description
            item["externalContentData"] = {"contentURL": lesson.url}
        data.append(item)
    return JSONResponse({"total": len(data), "data": data})


async def course_image(request: Request) -> Response:
    """A course's image, public as ``image.publicURL`` says (no token)."""
    state: SandboxState = request.app.state.sandbox
    tenant = request.path_params["tenant"]
    if not state.config.serves(tenant):
        return Response("Not Found", 404, media_type="text/plain")
    course = state.courses.tenant(tenant).course_by_wid(request.path_params["wid"])
    if course is None or course.image is None or course.image.file_name != request.path_params["name"]:
        return Response("Not Found", 404, media_type="text/plain")
    return Response(course.image.data, media_type=course.image.content_type)


def _content(catalog: CourseStore, course: StoredCourse, base: str) -> dict[str, Any]:
    first_url = next((lesson.url for lesson in course.lessons if lesson.kind == "external"), None)
    image = None
    if course.image is not None:
        image = {"publicURL": f"{base}{COURSE_IMAGE_PREFIX}/{catalog.tenant}/{course.wid}/{course.image.file_name}"}
    return {
        "id": course.wid,
        "descriptor": course.title,
        "description": course.description,
        "contentNumber": course.course_id,
        "contentURL": first_url,
        "lifecycleStatus": "Inactive" if course.inactive else "Active",
        "languages": [_named(catalog.language(i)) for i in course.language_ids],
        "skills": [_named(catalog.skill(i)) for i in course.skill_ids],
        "topics": [_named(catalog.topic(i)) for i in course.topic_ids],
        "image": image,
    }


def _named(item: CatalogItem) -> dict[str, str]:
    return {"id": item.wid, "descriptor": item.name}


def _authorized(request: Request) -> tuple[CourseStore | None, Response]:
    state: SandboxState = request.app.state.sandbox
    tenant = request.path_params["tenant"]
    if not state.config.serves(tenant):
        return None, _error(404, "not found", "unknown tenant")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not state.tokens.accepts(token.strip()):
        response = _error(401, "invalid_token", "a valid bearer access token is required")
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return None, response
    return state.courses.tenant(tenant), Response()


def _integer(request: Request, name: str, default: int) -> int | None:
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    try:
        return int(text)
    except ValueError:
        return None


def _invalid(field: str, message: str) -> Response:
    return JSONResponse({"error": "invalid request", "errors": [{"error": message, "field": field}]}, 400)


def _error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status)
