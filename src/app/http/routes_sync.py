"""Sync runs over HTTP, on the workers: ``POST /sync/membership|transcripts|reconcile`` enqueue the tenant's
session and answer 202 with a run that ``GET /runs/{id}`` follows (queued, running, then finished with its
result). While a run of that tenant and kind is queued or running, on any worker, a second request answers that
run (the runtime's deduplication, not a lock of this process). A membership plan's preview (``apply`` false, the
default) changes nothing and stays an answer of its own request. ``GET /runs/{id}`` also reads a run of the
ledger by its number."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, Response

from app.http.auth import Authorized
from app.http.errors import ApiError
from app.http.schemas import (
    FailureOut,
    MembershipSyncIn,
    PlanOut,
    ReconcileIn,
    RunOut,
    RunResultOut,
    SessionRunOut,
    TranscriptSyncIn,
)
from app.http.services import ApiDependencies
from app.runtime.client import Runs, RunStatus
from app.runtime.sessions import SessionRequest
from domain.membership_plan import MembershipPlan
from domain.runs import ActionRecord, Run
from domain.schedules import SyncKind

router = APIRouter(tags=["sync"])
_ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"model": SessionRunOut, "description": "Queued on the workers, or the run already queued"}
}


def _runs(request: Request) -> Runs:
    deps = request.app.state.deps
    assert isinstance(deps, ApiDependencies)
    if deps.runs is None:
        raise ApiError(503, "this API starts no runs: it was built without the runtime")
    return deps.runs


def _started(request: Request, response: Response, tenant: str, asked: SessionRequest) -> SessionRunOut:
    runs = _runs(request)
    status = runs.status(runs.start(tenant, asked))
    if status is None:  # pragma: no cover - the engine lost the run it just took
        raise ApiError(503, "the runtime did not keep the run")
    response.status_code = 202
    return session_out(status)


@router.post("/sync/membership", response_model=PlanOut | SessionRunOut, responses=_ACCEPTED)
def sync_membership(
    request: Request, response: Response, caller: Authorized, body: Annotated[MembershipSyncIn | None, Body()] = None
) -> PlanOut | SessionRunOut:
    """With ``apply`` false (the default), the plan's summary, at once, and nothing changes; with ``apply`` true,
    a run on the workers applies it (a plan the removal guard blocked only with ``force``): 202 and the run."""
    asked = body or MembershipSyncIn()
    if not asked.apply:
        return _plan_out(caller.tenant.plan_membership()())
    return _started(request, response, caller.tenant.name, SessionRequest(SyncKind.MEMBERSHIP, force=asked.force))


@router.post("/sync/transcripts", response_model=SessionRunOut, status_code=202)
def sync_transcripts(
    request: Request, response: Response, caller: Authorized, body: Annotated[TranscriptSyncIn | None, Body()] = None
) -> SessionRunOut:
    """A run on the workers that sends what Workday does not hold yet, within the tenant's rate limit."""
    asked = body or TranscriptSyncIn()
    return _started(request, response, caller.tenant.name, SessionRequest(SyncKind.TRANSCRIPTS, since=asked.since))


@router.post("/sync/reconcile", response_model=SessionRunOut, status_code=202)
def sync_reconcile(
    request: Request, response: Response, caller: Authorized, body: Annotated[ReconcileIn | None, Body()] = None
) -> SessionRunOut:
    """A run on the workers that compares the provider's completions with Workday's (every course when none is
    named): its result counts what it found; with ``fix`` true each finding is corrected and the ledger's run
    says how (``wlc reconcile`` lists the findings one by one)."""
    asked = body or ReconcileIn()
    session = SessionRequest(SyncKind.RECONCILE, fix=asked.fix, courses=tuple(asked.courses))
    return _started(request, response, caller.tenant.name, session)


@router.get("/runs/{run_id}", response_model=RunOut | SessionRunOut)
def get_run(
    request: Request, caller: Authorized, run_id: Annotated[str, Path(min_length=1, max_length=600)]
) -> RunOut | SessionRunOut:
    """A run on the workers by the id ``POST /sync/*`` answered, or a run of the ledger by its number. Another
    account's run is not found, as a run that does not exist: its existence is not told."""
    if run_id.isascii() and run_id.isdigit() and len(run_id) < 19:  # not "²", a digit int() refuses
        run = caller.tenant.sync_ledger().run(int(run_id))
        if run is None or run.tenant != caller.tenant.name or int(run_id) < 1:
            message = f"there is no run {run_id}"
            raise ApiError(
                404, message, key_id=caller.key_id, logged=None if run is None else f"{message} of this account's"
            )
        return run_out(run)
    status = _runs(request).status(run_id)
    if status is None or status.tenant != caller.tenant.name:
        message = f"there is no run {run_id}"
        raise ApiError(
            404, message, key_id=caller.key_id, logged=None if status is None else f"{message} of this account's"
        )
    return session_out(status)


def session_out(status: RunStatus) -> SessionRunOut:
    return SessionRunOut(
        id=status.id,
        tenant=status.tenant,
        kind=status.kind.value,
        state=status.state.value,
        result=status.result,
        error=status.error,
    )


def run_out(run: Run) -> RunOut:
    return RunOut(
        id=run.id,
        kind=run.kind.value,
        tenant=run.tenant,
        started_at=run.started_at,
        finished_at=run.finished_at,
        outcome=run.outcome.value,
        counts=run.counts,
        message=run.message,
    )


def _result_out(run: Run, failures: tuple[ActionRecord, ...]) -> RunResultOut:
    return RunResultOut(
        run=run_out(run), failures=[FailureOut(kind=f.kind, subject=f.subject, error=f.error) for f in failures]
    )


def _plan_out(plan: MembershipPlan) -> PlanOut:
    summary = {
        "report_rows": plan.report_rows,
        "current_members": plan.current_members,
        "invite": len(plan.invites),
        "update": len(plan.updates),
        "remove": len(plan.removals),
        "rejected": len(plan.rejected),
    }
    return PlanOut(summary=summary, blocked=plan.blocked, reasons=list(plan.verdict.reasons))
