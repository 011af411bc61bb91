"""A tenant session: one kind of work for one tenant, run through the application's use cases (the same ones the
CLI and the API call), as a background caller of the tenant's request budget. The engine runs at most one session
of a tenant at a time; a session is what it returns: the ledger's run, or what a dry run found."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from adapters.budget.lease import under_lease
from app.application import Application
from app.container import TenantContainer
from app.runtime.delivery import deliver_due
from domain.errors import InvalidValue, PortUnavailable
from domain.runs import Run, RunKind, RunOutcome
from domain.schedules import SyncKind

log = logging.getLogger(__name__)

RUNS_AFTER_FENCING = 3
"""At most this many more times a session runs after its worker held its lease again (a late beat, not a
takeover); what is left after that waits for the next run."""


class Hold(Protocol):
    """A session's hold on its worker's lease (``app.runtime.liveness.SessionHold``)."""

    def __call__(self) -> bool:
        """Whether the session may send now."""

    def regained(self) -> bool:
        """Whether it holds the lease again, after waiting for its worker's next beats."""


class _Always:
    """Outside a worker (tests, a process of one's own): nothing fences a session."""

    def __call__(self) -> bool:
        return True

    def regained(self) -> bool:
        return True


ALWAYS: Hold = _Always()


@dataclass(frozen=True, slots=True)
class SessionRequest:
    """What a session is asked to do, as the engine stores it (``as_data``/``from_data``: plain JSON values)."""

    kind: SyncKind
    force: bool = False
    """membership: apply a plan the removal guard blocked."""
    since: date | None = None
    """transcripts: every completion from this date rather than from the saved cursor."""
    fix: bool | None = None
    """reconcile: correct what it finds; None takes the tenant's schedule's choice (a dry run unless it opts in)."""
    courses: tuple[str, ...] = field(default_factory=tuple)
    """reconcile: these courses; every course when none is named."""

    def as_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "force": self.force,
            "since": None if self.since is None else self.since.isoformat(),
            "fix": self.fix,
            "courses": list(self.courses),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> SessionRequest:
        try:
            since = data.get("since")
            return cls(
                SyncKind(data["kind"]),
                force=bool(data.get("force", False)),
                since=None if since is None else date.fromisoformat(since),
                fix=data.get("fix"),
                courses=tuple(data.get("courses", ())),
            )
        except (KeyError, ValueError, TypeError) as unreadable:
            raise InvalidValue("session", f"cannot read {data!r}: {unreadable}") from None


def run_session(
    application: Application,
    tenant: str,
    request: SessionRequest,
    held: Hold = ALWAYS,
    session: str | None = None,
) -> dict[str, Any]:
    """Runs ``request`` for ``tenant`` and returns its result as plain JSON values: ``run`` (the ledger's run, when
    one was recorded) and ``counts``. Once ``held`` says the worker no longer holds the session, a delivery session
    stops, and no Workday request of any session is sent (``under_lease``). When the worker holds it again (it
    beat late, and nobody took it over), the session runs again: what it did not send is sent now, not at the next
    scheduled run. A run that Workday stops before it starts (its token refused, its WSDL unreachable) is recorded
    as a failed run all the same: the tenant's status, alerts and rest read the ledger. ``session`` names the
    session (its workflow id) in the outbox's claims, so that, resumed elsewhere, it takes its own claims again."""
    result = _run_once(application, tenant, request, held, session)
    for _ in range(RUNS_AFTER_FENCING):
        if result.pop("fenced") == 0 or not held.regained():
            break
        log.warning(
            "the %s session of tenant %s runs again: its worker beat late, and nobody took it over",
            request.kind.value,
            tenant,
        )
        again = _run_once(application, tenant, request, held, session)
        if request.kind is SyncKind.DELIVER:
            again["counts"] = {key: result["counts"].get(key, 0) + n for key, n in again["counts"].items()}
        result = again
    result.pop("fenced", None)
    return result


def _run_once(
    application: Application, tenant: str, request: SessionRequest, held: Hold, session: str | None
) -> dict[str, Any]:
    """The session's result, and ``fenced``: how many of its requests were not sent for a lost lease (one, too,
    when it ended without the lease, having perhaps stopped before its work was done)."""
    with under_lease(held) as lease:
        try:
            result = _run(application, tenant, request, held, session)
        except PortUnavailable as unavailable:
            if lease.refused or not held():
                # Stopped by its own fence (e.g. the tenant's WSDL not fetched for it), not by Workday or the
                # ledger: nothing to record; it runs again, taking its own claims, once the worker holds the lease.
                log.warning("the %s session of tenant %s stopped: %s", request.kind.value, tenant, unavailable)
                result = {"run": None, "outcome": "fenced", "counts": {}, "message": str(unavailable)}
            elif request.kind is SyncKind.DELIVER:
                raise
            else:
                result = _run_of(_failed_to_start(application, tenant, RunKind(request.kind.value), unavailable))
    return {**result, "fenced": lease.refused or (0 if held() else 1)}


def _failed_to_start(application: Application, tenant: str, kind: RunKind, unavailable: PortUnavailable) -> Run:
    ledger, now = application.sync_ledger(), application.clock().now()
    run = ledger.start_run(kind, tenant, now)
    return ledger.finish_run(run.id, RunOutcome.FAILED, now, {}, str(unavailable))


def _run(
    application: Application, tenant: str, request: SessionRequest, held: Callable[[], bool], session: str | None
) -> dict[str, Any]:
    tenants = application.tenants()
    with tenants.using(tenant) as container:
        match request.kind:
            case SyncKind.MEMBERSHIP:
                return _run_of(container.sync_membership()(request.force).run)
            case SyncKind.TRANSCRIPTS:
                return _run_of(container.sync_transcripts()(request.since).run)
            case SyncKind.RECONCILE:
                return _reconcile(application, tenant, container, request)
            case SyncKind.DELIVER:
                return _deliver(application, tenant, container, held, session)
    raise AssertionError("unreachable")  # pragma: no cover


def _run_of(run: Run) -> dict[str, Any]:
    return {
        "run": run.id,
        "outcome": run.outcome.value,
        "counts": dict(run.counts),
        "message": run.message,
    }


def _reconcile(
    application: Application, tenant: str, container: TenantContainer, request: SessionRequest
) -> dict[str, Any]:
    fix = request.fix if request.fix is not None else application.tenants().settings(tenant).schedules.reconcile_fix
    result = container.reconcile()(request.courses, all_courses=not request.courses, fix=fix)
    found = result.reconciliation
    summary = {
        "courses": len(result.courses),
        "matched": found.matched,
        "in_flight": found.in_flight,
        "discrepancies": len(found.discrepancies),
        "fixed": sum(1 for each in result.fixes if each.error is None),
    }
    unknown = list(result.unknown_courses)
    run = None if result.run_id is None else container.sync_ledger().run(result.run_id)
    if run is None:
        outcome = "succeeded" if fix else "dry_run"
        return {"run": None, "outcome": outcome, "counts": summary, "message": "", "unknown_courses": unknown}
    return {**_run_of(run), "counts": {**run.counts, **summary}, "unknown_courses": unknown}


def _deliver(
    application: Application, tenant: str, container: TenantContainer, held: Callable[[], bool], session: str | None
) -> dict[str, Any]:
    limit = application.settings().runtime.deliveries_per_session
    outbox, clock = application.completion_outbox(), application.clock()
    counts = deliver_due(outbox, clock, container.deliver_completion, tenant, limit, held, session)
    return {"run": None, "outcome": "succeeded", "counts": counts, "message": ""}
