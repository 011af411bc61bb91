"""Completions: accepted into the outbox (committed before the answer) and delivered by the workers (``wlc worker``).

A completion's id is its outbox entry's id. ``GET`` and ``DELETE`` also take a Workday enrollment WID, for a
completion Workday holds that did not come through this API (an auto-completion to clean up)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from returns.result import Failure, Success

from app.http.auth import Authorized, Caller, dependencies
from app.http.errors import ApiError
from app.http.group_commit import GroupCommitter
from app.http.schemas import CompletionAccepted, CompletionIn, CompletionOut, OutboxState
from domain.learning_completions import Enrollment
from domain.outbox import OutboxEntry, OutboxStatus

router = APIRouter(prefix="/unified/lms/users/{id}/completions", tags=["completions"])

LearnerId = Annotated[str, Path(alias="id", min_length=1, max_length=200, description="The learner's Employee ID.")]
CompletionId = Annotated[str, Path(min_length=1, max_length=200)]


@router.post("", status_code=202, response_model=CompletionAccepted)
async def push_completion(
    request: Request, learner_id: LearnerId, payload: CompletionIn, caller: Authorized
) -> Response:
    """Accepts the completion for delivery: it is committed to the outbox before this answers, and delivered
    within the tenant's rate limit. Posting the same completion again answers the same id."""
    deps = dependencies(request)
    completion = payload.to_completion(learner_id)
    committer = request.app.state.committer
    assert isinstance(committer, GroupCommitter)
    entry, _ = await committer.enqueue(caller.tenant.name, completion, deps.clock.now())
    # The busiest route answers with its body already serialised: FastAPI's response-model pass would check
    # again what this model just checked, at a cost the ingestion benchmark can see.
    accepted = CompletionAccepted(id=str(entry.id), status=entry.status.value)
    return Response(accepted.model_dump_json(), status_code=202, media_type="application/json")


@router.get("/{completion_id}", response_model=CompletionOut)
def get_completion(
    request: Request, learner_id: LearnerId, completion_id: CompletionId, caller: Authorized
) -> CompletionOut:
    """The completion's delivery status (pending, delivered with Workday's enrollment, failed with the error),
    or, given an enrollment WID, the enrollment as Workday holds it."""
    entry = _entry(request, caller, learner_id, completion_id)
    if entry is not None:
        return _entry_out(entry)
    enrollment = caller.tenant.get_completion()(learner_id, completion_id)
    if enrollment is None:
        raise ApiError(404, f"user {learner_id} has no completion {completion_id}")
    return _enrollment_out(enrollment, "delivered")


@router.delete("/{completion_id}", response_model=CompletionOut)
def delete_completion(
    request: Request, learner_id: LearnerId, completion_id: CompletionId, caller: Authorized
) -> CompletionOut:
    """Withdraws a delivered completion from Workday. One still pending (or failed) has nothing in Workday
    to withdraw: 409."""
    deps = dependencies(request)
    entry = _entry(request, caller, learner_id, completion_id)
    if entry is not None and entry.status is OutboxStatus.DELETED:
        return _entry_out(entry)
    if entry is not None and (entry.status is not OutboxStatus.DELIVERED or entry.enrollment_id is None):
        raise ApiError(409, f"completion {completion_id} is {entry.status.value}: Workday holds nothing to delete")
    enrollment_id = completion_id if entry is None or entry.enrollment_id is None else entry.enrollment_id
    match caller.tenant.delete_completion()(learner_id, enrollment_id):
        case Success(enrollment):
            if entry is None:
                return _enrollment_out(enrollment, "deleted")
            deleted = deps.outbox.get(entry.id)  # the use case marked it withdrawn
            assert deleted is not None
            return _entry_out(deleted)
        case Failure(refusal):
            raise ApiError.from_refusal(refusal)
    raise AssertionError("unreachable")  # pragma: no cover


def _entry(request: Request, caller: Caller, learner_id: str, completion_id: str) -> OutboxEntry | None:
    """The outbox entry ``completion_id`` names, if it is this account's and this learner's. Another account's
    is refused as one that does not exist (its existence is not told); the log says what it was."""
    if not completion_id.isascii() or not completion_id.isdigit() or len(completion_id) > 18:
        return None
    entry = dependencies(request).outbox.get(int(completion_id))
    if entry is not None and entry.account != caller.tenant.name:
        raise ApiError(
            404,
            f"user {learner_id} has no completion {completion_id}",
            key_id=caller.key_id,
            logged=f"completion {completion_id} is not this account's",
        )
    if entry is None or entry.completion.learner_id != learner_id:
        return None
    return entry


def _entry_out(entry: OutboxEntry) -> CompletionOut:
    completion = entry.completion
    return CompletionOut(
        id=str(entry.id),
        status=entry.status.value,
        learner_id=completion.learner_id,
        learning_object_external_reference=completion.learning_object_external_reference,
        completed_at=completion.completed_at,
        result=completion.result.value,
        enrollment_id=entry.enrollment_id,
        error=entry.error,
        attempts=entry.attempts,
    )


def _enrollment_out(enrollment: Enrollment, status: OutboxState) -> CompletionOut:
    return CompletionOut(
        id=enrollment.workday_id,
        status=status,
        learner_id=enrollment.learner_id,
        learning_object_external_reference=enrollment.course_reference,
        completed_at=enrollment.completed_at,
        result=None if enrollment.result is None else enrollment.result.value,
        enrollment_id=enrollment.workday_id,
    )
