"""Sync runs over HTTP: membership (a dry run by default), transcripts and reconcile (a dry run by default), and
a run's record. One run of a kind per account at a time: a second request while one runs is answered 409."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, Body, Path, Request

from app.http.auth import Authorized
from app.http.errors import ApiError
from app.http.schemas import (
    DiscrepancyOut,
    FailureOut,
    MembershipSyncIn,
    PlanOut,
    ReconcileIn,
    ReconcileOut,
    RunOut,
    RunResultOut,
    TranscriptSyncIn,
)
from app.use_cases.reconcile import Fix, ReconcileResult
from domain.completion_reconciliation import Discrepancy
from domain.membership_plan import MembershipPlan
from domain.runs import ActionRecord, Run

router = APIRouter(tags=["sync"])

_running: set[tuple[str, str]] = set()
_running_lock = threading.Lock()


@contextmanager
def _one_at_a_time(account: str, kind: str) -> Iterator[None]:
    with _running_lock:
        if (account, kind) in _running:
            raise ApiError(409, f"a {kind} sync of account {account!r} is already running")
        _running.add((account, kind))
    try:
        yield
    finally:
        with _running_lock:
            _running.discard((account, kind))


@router.post("/sync/membership", response_model=PlanOut | RunResultOut)
def sync_membership(
    caller: Authorized, body: Annotated[MembershipSyncIn | None, Body()] = None
) -> PlanOut | RunResultOut:
    """With ``apply`` false (the default), the plan's summary and nothing changes; with ``apply`` true, the
    plan is applied (a plan the removal guard blocked only with ``force``) and the run is returned."""
    request = body or MembershipSyncIn()
    account = caller.tenant
    with _one_at_a_time(account.name, "membership"):
        if not request.apply:
            return _plan_out(account.plan_membership()())
        result = account.sync_membership()(request.force)
    return _result_out(result.run, result.failures)


@router.post("/sync/transcripts", response_model=RunResultOut)
def sync_transcripts(caller: Authorized, body: Annotated[TranscriptSyncIn | None, Body()] = None) -> RunResultOut:
    """Sends what Workday does not hold yet, within the tenant's rate limit, and returns the run."""
    request = body or TranscriptSyncIn()
    with _one_at_a_time(caller.tenant.name, "transcripts"):
        result = caller.tenant.sync_transcripts()(request.since)
    return _result_out(result.run, result.failures)


@router.post("/sync/reconcile", response_model=ReconcileOut)
def sync_reconcile(caller: Authorized, body: Annotated[ReconcileIn | None, Body()] = None) -> ReconcileOut:
    """The provider's completions against Workday's, as ``wlc reconcile`` compares them: missing, differs, extra,
    auto-completed. With ``fix`` true each is corrected (pushed or rescinded) and the run is recorded."""
    request = body or ReconcileIn()
    with _one_at_a_time(caller.tenant.name, "reconcile"):
        result = caller.tenant.reconcile()(request.courses, all_courses=request.all_courses, fix=request.fix)
    run = None if result.run_id is None else caller.tenant.sync_ledger().run(result.run_id)
    return _reconcile_out(result, None if run is None else run_out(run))


@router.get("/runs/{run_id}", response_model=RunOut)
def get_run(request: Request, caller: Authorized, run_id: Annotated[int, Path(ge=1, le=2**62)]) -> RunOut:
    """Another account's run is not found, as a run that does not exist: its existence is not told."""
    run = caller.tenant.sync_ledger().run(run_id)
    if run is None or run.tenant != caller.tenant.name:
        message = f"there is no run {run_id}"
        raise ApiError(
            404, message, key_id=caller.key_id, logged=None if run is None else f"{message} of this account's"
        )
    return run_out(run)


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


def _reconcile_out(result: ReconcileResult, run: RunOut | None) -> ReconcileOut:
    fixes = {id(f.discrepancy): f for f in result.fixes}
    found = result.reconciliation
    return ReconcileOut(
        courses=list(result.courses),
        matched=found.matched,
        in_flight=found.in_flight,
        discrepancies=[_discrepancy_out(d, fixes.get(id(d)), run is not None) for d in found.discrepancies],
        unknown_courses=list(result.unknown_courses),
        run=run,
    )


def _discrepancy_out(d: Discrepancy, fix: Fix | None, fixing: bool) -> DiscrepancyOut:
    return DiscrepancyOut(
        finding=d.finding.value,
        learner_id=d.learner_id,
        course=d.course_reference,
        provider_result=None if d.completion is None else d.completion.result.value,
        provider_completed_at=None if d.completion is None else d.completion.completed_at,
        enrollment_id=None if d.enrollment is None else d.enrollment.workday_id,
        workday_result=None if d.enrollment is None or d.enrollment.result is None else d.enrollment.result.value,
        fix=d.finding.fix,
        fixed=(fix is not None and fix.error is None) if fixing and d.finding.fix is not None else None,
        error=None if fix is None else fix.error,
        refused_at=None if d.refusal is None else d.refusal.settled_at,
        refusal=None if d.refusal is None else d.refusal.note,
    )
