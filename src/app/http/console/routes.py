"""The ops console's pages under ``/console``, rendered on the server from Jinja2 templates: the tenants with their
health, a tenant (schedules with pause, resume and run now; runs; outbox; refused completions; rejected report
rows), a run with every action, and a plan the removal guard blocked, to approve or reject.

Only a provider admin gets in: the login takes an admin key (``wlc keys create --admin``) and answers with a
session cookie (``session``); a tenant's key is refused. Every POST must carry its session's CSRF token. Each
refusal is logged with the key's id where there is one, never the key."""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from returns.result import Failure, Success

from adapters.storage.api_keys import KeyScope
from app.http.auth import dependencies
from app.http.console.health import Health, health
from app.http.console.moments import ago, when
from app.http.console.run_now import run_now
from app.http.console.session import COOKIE, CSRF_FIELD, Session, Sessions
from app.http.key_cache import VerifiedKeys
from app.runtime.client import run_status
from domain.outbox import OutboxEntry, OutboxStatus
from domain.runs import ActionResult, RunKind, RunOutcome
from domain.schedules import SyncKind
from domain.tenant_records import TENANT_NAME
from domain.tenant_status import TenantStatus

if TYPE_CHECKING:
    from app.application import Application

log = logging.getLogger(__name__)

router = APIRouter(prefix="/console", include_in_schema=False)

_HERE = Path(__file__).parent
_templates = Jinja2Templates(directory=_HERE / "templates")
_templates.env.filters["when"] = when
_templates.env.filters["ago"] = ago
_CSS = resources.files("app.http.console").joinpath("static/console.css").read_text(encoding="utf-8")
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
_SCHEDULED = (SyncKind.MEMBERSHIP, SyncKind.TRANSCRIPTS, SyncKind.RECONCILE)
_SESSION_KEY_NAME = "console_session"
_SHOWN = 50
"""Entries of each list a page shows at most."""

TenantName = Annotated[str, PathParam(pattern=f"^{TENANT_NAME.pattern}$")]
RunId = Annotated[int, PathParam(ge=1, le=2**62)]
Kind = Annotated[SyncKind, PathParam()]


class Refused(Exception):
    """A request the console will not serve: answered with a page saying why (``status``), or sent to the login."""

    def __init__(self, status: int, message: str, *, to_login: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.to_login = to_login


def mount(app: FastAPI) -> None:
    """Serves the console on ``app``, whose ``state.deps`` holds the application."""
    app.include_router(router)
    app.add_exception_handler(Refused, _refused_page)


class _Console:
    """What the pages share: the application and the session cookies, made on first use (the session key may be
    read from, or first kept in, the ledger)."""

    def __init__(self, application: Application) -> None:
        self.application = application
        settings = application.settings().console
        lifetime = timedelta(hours=settings.session_hours)
        self.sessions = Sessions(_session_key(application), lifetime)


_made = threading.Lock()


def _console(request: Request) -> _Console:
    console = getattr(request.app.state, "console", None)
    if console is None:
        application = dependencies(request).application
        if application is None:
            raise Refused(503, "the console is not served by this process")
        with _made:
            console = getattr(request.app.state, "console", None) or _Console(application)
            request.app.state.console = console
    assert isinstance(console, _Console)
    return console


def _session_key(application: Application) -> str:
    configured = application.settings().console.session_key
    if configured is not None:
        return configured.get_secret_value()
    box = application.secrets()
    sealed = application.server_secrets().kept(
        _SESSION_KEY_NAME, lambda: box.seal(secrets.token_urlsafe(48)), application.clock().now()
    )
    return str(box.open(sealed, "the console's session key"))


def _now(console: _Console) -> datetime:
    return console.application.clock().now()


def _refuse(request: Request, status: int, message: str, session: Session | None, **kwargs: bool) -> Refused:
    """The refusal, logged with the admin key's id when a session holds one; the key itself is never at hand."""
    key = f" (key {session.key_id})" if session is not None and session.key_id else ""
    log.warning("console refused %s %s with %d: %s%s", request.method, request.url.path, status, message, key)
    return Refused(status, message, **kwargs)


def _session(request: Request) -> Session | None:
    return _console(request).sessions.read(request.cookies.get(COOKIE), _now(_console(request)))


def _operator(request: Request) -> Session | None:
    """The session of a signed-in operator whose admin key is still good: revoking the key, or its expiry, ends
    every session it opened."""
    session = _session(request)
    if session is None or session.key_id is None:
        return None
    console = _console(request)
    key = console.application.api_keys().record(session.key_id)
    if key is None or key.scope is not KeyScope.ADMIN or not key.usable_at(_now(console)):
        return None
    return session


def _viewer(request: Request) -> Session:
    """The signed-in operator of a page; anyone else is sent to the login (a key sent in a header opens nothing)."""
    session = _operator(request)
    if session is None:
        if request.headers.get("authorization"):
            _refuse(request, 303, "a key in the Authorization header does not open the console: sign in", None)
        raise Refused(303, "sign in first", to_login=True)
    return session


def _actor(request: Request, csrf: Annotated[str | None, Form(alias=CSRF_FIELD)] = None) -> Session:
    """The signed-in operator of a form, whose CSRF token is the session's."""
    session = _operator(request)
    if session is None:
        raise _refuse(request, 403, "your session has ended or you are not signed in: sign in again", _session(request))
    if not session.accepts(csrf):
        raise _refuse(request, 403, "the form's CSRF token is missing or wrong: reload the page and try again", session)
    return session


Viewer = Annotated[Session, Depends(_viewer)]
Actor = Annotated[Session, Depends(_actor)]


def _page(request: Request, template: str, session: Session, code: int = 200, **context: Any) -> HTMLResponse:
    console = _console(request)
    response = _templates.TemplateResponse(
        request,
        template,
        {"session": session, "csrf_field": CSRF_FIELD, "now": _now(console), **context},
        status_code=code,
        headers=_SECURITY_HEADERS,
    )
    _set_cookie(request, response, console.sessions, session)
    return response


def _set_cookie(request: Request, response: Response, sessions: Sessions, session: Session) -> None:
    response.set_cookie(
        COOKIE,
        sessions.cookie(session),
        max_age=int(sessions.lifetime.total_seconds()),
        path="/console",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )


def _redirect(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303, headers=_SECURITY_HEADERS)


def _refused_page(request: Request, error: Exception) -> Response:
    """Run on a worker thread (Starlette runs a plain function handler there): the page reads the ledger."""
    assert isinstance(error, Refused)
    if dependencies(request).application is None:
        return PlainTextResponse(error.message, status_code=error.status)
    if error.to_login:
        return _redirect(str(request.url_for("login_page")))
    session = _operator(request) or _console(request).sessions.anonymous(_now(_console(request)))
    return _page(request, "refused.html", session, error.status, message=error.message)


@router.get("/console.css", name="console_css")
def stylesheet() -> Response:
    return Response(_CSS, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@router.get("/login", name="login_page")
def login_page(request: Request) -> Response:
    if _operator(request) is not None:
        return _redirect(str(request.url_for("tenants_page")))
    session = _session(request)
    if session is None or session.signed_in:  # none yet, or one whose key no longer opens the console
        session = _console(request).sessions.anonymous(_now(_console(request)))
    return _page(request, "login.html", session)


@router.post("/login")
async def login(
    request: Request,
    key: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    csrf: Annotated[str | None, Form(alias=CSRF_FIELD)] = None,
) -> Response:
    console = _console(request)
    session = _session(request)
    if session is None or not session.accepts(csrf):
        raise _refuse(request, 403, "the login form's CSRF token is missing or wrong: reload the page", session)
    verified = request.app.state.verified_keys
    assert isinstance(verified, VerifiedKeys)
    found = await verified.verify(key.strip(), _now(console)) if key.strip() else None
    if found is None:
        _refuse(request, 401, "the key is not valid, or has expired or been revoked", None)
        return _page(
            request, "login.html", session, 401, error="That key is not valid, or has expired or been revoked."
        )
    if found.scope is not KeyScope.ADMIN:
        refused = _refuse(request, 403, f"key {found.id} is a tenant's key: the console needs an admin key", None)
        return _page(request, "login.html", session, 403, error=refused.message + " (wlc keys create --admin).")
    operator = " ".join(name.split())[:100] or None
    signed_in = console.sessions.signed_in(_now(console), found.id, operator)
    log.info("console: %s signed in", signed_in.who)
    response = _redirect(str(request.url_for("tenants_page")))
    _set_cookie(request, response, console.sessions, signed_in)
    return response


@router.post("/logout", name="logout")
def logout(request: Request, session: Actor) -> Response:
    response = _redirect(str(request.url_for("login_page")))
    response.delete_cookie(COOKIE, path="/console", httponly=True, samesite="strict")
    return response


@router.get("", name="tenants_page")
def tenants_page(
    request: Request, session: Viewer, q: str = "", chosen: Annotated[str, Query(alias="health")] = ""
) -> Response:
    """Every tenant with its health; ``q`` keeps those whose name holds it, ``health`` those of that health."""
    statuses = _console(request).application.tenant_status()()
    rows = [(status, health(status)) for status in statuses]
    needle = q.strip().lower()
    shown = [
        (status, found)
        for status, found in rows
        if needle in status.tenant.lower() and (not chosen or found.value == chosen)
    ]
    counts = {h: sum(1 for _, found in rows if found is h) for h in Health}
    return _page(request, "tenants.html", session, rows=shown, q=q, chosen=chosen, healths=list(Health), counts=counts)


@dataclass(frozen=True, slots=True)
class _Schedule:
    kind: SyncKind
    cron: str | None
    paused: bool
    next_run: datetime | None


@router.get("/tenants/{name}", name="tenant_page")
def tenant_page(
    request: Request,
    session: Viewer,
    name: TenantName,
    queued: Annotated[str | None, Query(max_length=600)] = None,
) -> Response:
    """The tenant's health, schedules, runs, outbox and refusals; with ``queued``, the state on the workers of the
    run 'Run now' started (another tenant's run is not shown)."""
    application = _console(request).application
    status = _status_of(request, name, session)
    started = None if queued is None else run_status(application, queued)
    if started is not None and started.tenant != name:
        started = None
    match application.manage_tenants().schedules(name):
        case Success(found):
            paused = set(found.settings.paused)
            schedules = [
                _Schedule(kind, found.crons.get(kind), kind in paused, status.of(_run_kind(kind)).next_run)
                for kind in _SCHEDULED
            ]
        case _:
            schedules = []
    entries = list(application.completion_outbox().entries(name))
    retrying = [e for e in entries if e.status is OutboxStatus.PENDING and e.error][:_SHOWN]
    refused = _latest(e for e in entries if e.status is OutboxStatus.FAILED)
    ledger = application.sync_ledger()
    rejected = []
    if status.rejected_rows_run is not None:
        rejected = [a for a in ledger.actions(status.rejected_rows_run) if a.result is ActionResult.REJECTED]
    return _page(
        request,
        "tenant.html",
        session,
        status=status,
        health=health(status),
        schedules=schedules,
        runs=ledger.runs(limit=20, tenant=name),
        retrying=retrying,
        refused=refused,
        rejected=rejected[:_SHOWN],
        rejected_total=len(rejected),
        started=started,
    )


def _latest(entries: Iterator[OutboxEntry]) -> list[OutboxEntry]:
    newest = sorted(entries, key=lambda entry: entry.updated_at, reverse=True)
    return list(islice(newest, _SHOWN))


def _run_kind(kind: SyncKind) -> RunKind:
    return RunKind(kind.value)


def _status_of(request: Request, name: str, session: Session) -> TenantStatus:
    found = _console(request).application.tenant_status()([name])
    if not found:
        raise _refuse(request, 404, f"there is no tenant {name!r}, or its settings cannot be read", session)
    return found[0]


def _scheduled(request: Request, kind: SyncKind, session: Session) -> SyncKind:
    if kind not in _SCHEDULED:
        raise _refuse(request, 404, f"{kind} has no schedule to change or run", session)
    return kind


@router.post("/tenants/{name}/schedules/{kind}/pause", name="pause_schedule")
def pause_schedule(request: Request, session: Actor, name: TenantName, kind: Kind) -> Response:
    return _change_pause(request, session, name, _scheduled(request, kind, session), paused=True)


@router.post("/tenants/{name}/schedules/{kind}/resume", name="resume_schedule")
def resume_schedule(request: Request, session: Actor, name: TenantName, kind: Kind) -> Response:
    return _change_pause(request, session, name, _scheduled(request, kind, session), paused=False)


def _change_pause(request: Request, session: Session, name: str, kind: SyncKind, *, paused: bool) -> Response:
    manage = _console(request).application.manage_tenants()
    match manage.schedules(name):
        case Failure(refusal):
            raise _refuse(request, 404, refusal.message, session)
        case Success(found):
            kinds = set(found.settings.paused)
            kinds = kinds | {kind} if paused else kinds - {kind}
            match manage.change_schedules(name, {"paused": sorted(kinds)}):
                case Failure(refusal):
                    raise _refuse(request, 409, refusal.message, session)
    log.info("console: %s %s %s's %s schedule", session.who, "paused" if paused else "resumed", name, kind)
    return _redirect(str(request.url_for("tenant_page", name=name)))


@router.post("/tenants/{name}/schedules/{kind}/run", name="run_schedule")
def run_schedule(request: Request, session: Actor, name: TenantName, kind: Kind) -> Response:
    chosen = _scheduled(request, kind, session)
    application = _console(request).application
    if name not in application.tenants().names:
        raise _refuse(request, 404, f"there is no tenant {name!r}", session)
    log.info("console: %s runs %s's %s now", session.who, name, chosen)
    queued = run_now(application, name, chosen)
    return _redirect(str(request.url_for("tenant_page", name=name).include_query_params(queued=queued)))


@router.get("/runs/{run_id}", name="run_page")
def run_page(request: Request, session: Viewer, run_id: RunId) -> Response:
    ledger = _console(request).application.sync_ledger()
    run = ledger.run(run_id)
    if run is None:
        raise _refuse(request, 404, f"there is no run {run_id}", session)
    return _page(request, "run.html", session, run=run, actions=ledger.actions(run_id), blocked=RunOutcome.BLOCKED)


@router.get("/plans/{run_id}", name="plan_page")
def plan_page(request: Request, session: Viewer, run_id: RunId) -> Response:
    return _plan(request, session, run_id)


def _plan(request: Request, session: Session, run_id: int, status: int = 200, error: str | None = None) -> Response:
    ledger = _console(request).application.sync_ledger()
    run = ledger.run(run_id)
    if run is None:
        raise _refuse(request, 404, f"there is no run {run_id}", session)
    planned = [a for a in ledger.actions(run_id) if a.result is ActionResult.PLANNED]
    return _page(
        request,
        "plan.html",
        session,
        status,
        run=run,
        removals=[a for a in planned if a.kind == "remove"],
        others=[a for a in planned if a.kind != "remove"],
        decidable=run.outcome is RunOutcome.BLOCKED,
        error=error,
    )


@router.post("/plans/{run_id}/approve", name="approve_plan")
def approve_plan(request: Request, session: Actor, run_id: RunId) -> Response:
    container = _container_of(request, run_id, session)
    match container.approve_membership_plan()(run_id, session.who):
        case Failure(refused):
            _refuse(request, 409, refused.message, session)
            return _plan(request, session, run_id, 409, refused.message)
    log.info("console: %s approved run %d's plan", session.who, run_id)
    return _redirect(str(request.url_for("run_page", run_id=run_id)))


@router.post("/plans/{run_id}/reject", name="reject_plan")
def reject_plan(request: Request, session: Actor, run_id: RunId) -> Response:
    container = _container_of(request, run_id, session)
    match container.reject_membership_plan()(run_id, session.who):
        case Failure(refused):
            _refuse(request, 409, refused.message, session)
            return _plan(request, session, run_id, 409, refused.message)
    log.info("console: %s rejected run %d's plan", session.who, run_id)
    return _redirect(str(request.url_for("run_page", run_id=run_id)))


def _container_of(request: Request, run_id: int, session: Session) -> Any:
    """The container of the tenant whose run it is."""
    application = _console(request).application
    run = application.sync_ledger().run(run_id)
    if run is None or run.tenant not in application.tenants().names:
        raise _refuse(request, 404, f"there is no run {run_id} of a tenant served here", session)
    return application.tenants().get(run.tenant)
