"""``PUT /unified/lms/content`` and its batch form: content upserted through the course wrapper."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import ValidationError
from returns.result import Failure, Success

from app.http.auth import Authorized
from app.http.errors import ApiError, field_path
from app.http.schemas import BatchItemOut, ContentBatchIn, ContentBatchOut, ContentIn, ContentOut, LeftOutOut
from app.http.services import Upsert
from domain.errors import InvalidValue, LedgerUnavailable, PortUnavailable

router = APIRouter(prefix="/unified/lms/content", tags=["content"])
_BATCH = "/batch"
BATCH_PATH = router.prefix + _BATCH
"""Its body may be larger than other requests' (``api.max_batch_body_bytes``)."""


def _upsert(upsert: Upsert, payload: ContentIn) -> ContentOut:
    """Raises ``InvalidValue`` for a value the domain refuses and ``ApiError`` for a refusal."""
    match upsert(payload.to_content()):
        case Success(outcome):
            course = outcome.course
            return ContentOut(
                id=course.external_reference,
                remote_id=course.workday_id,
                external_reference=course.external_reference,
                left_out=LeftOutOut.of(outcome.left_out),
            )
        case Failure(refusal):
            raise ApiError.from_refusal(refusal)
    raise AssertionError("unreachable")  # pragma: no cover


@router.put("", status_code=201, response_model=ContentOut)
def upsert_content(payload: ContentIn, caller: Authorized) -> ContentOut:
    """Creates or updates a content item: matched by external_reference, else by title (then rekeyed). What the
    tenant's Workday could not take (its WSDL has no element for it) is left out and listed in ``left_out``."""
    return _upsert(caller.tenant.upsert_content(), payload)


@router.post(_BATCH, response_model=ContentBatchOut)
def upsert_content_batch(batch: ContentBatchIn, caller: Authorized) -> ContentBatchOut:
    """Upserts each item on its own: one bad item never stops the others. 200 when every item was upserted,
    else 207 with each item's status and error."""
    upsert = caller.tenant.upsert_content()
    results = [_one(upsert, index, item) for index, item in enumerate(batch.items)]
    failed = sum(1 for r in results if r.statusCode >= 300)
    return ContentBatchOut(
        statusCode=207 if failed else 200, succeeded=len(results) - failed, failed=failed, data=results
    )


def _one(upsert: Upsert, index: int, item: dict[str, object]) -> BatchItemOut:
    reference = item.get("external_reference")
    reference = reference if isinstance(reference, str) else None
    try:
        out = _upsert(upsert, ContentIn.model_validate(item))
    except ValidationError as invalid:
        problems = invalid.errors()
        path = field_path(problems[0]["loc"]) if problems else None
        message = "; ".join(f"{field_path(p['loc'])}: {p['msg']}" for p in problems)
        return BatchItemOut(index=index, statusCode=422, external_reference=reference, message=message, field=path)
    except InvalidValue as bad:
        return BatchItemOut(
            index=index, statusCode=422, external_reference=reference, message=str(bad), field=bad.field
        )
    except PortUnavailable as down:
        status = 503 if isinstance(down, LedgerUnavailable) else 502
        return BatchItemOut(index=index, statusCode=status, external_reference=reference, message=str(down))
    except ApiError as refused:
        return BatchItemOut(
            index=index,
            statusCode=refused.status,
            external_reference=reference,
            message=refused.message,
            field=refused.field,
            provider_errors=list(refused.provider_errors),
        )
    return BatchItemOut(
        index=index,
        statusCode=201,
        external_reference=out.external_reference,
        id=out.id,
        remote_id=out.remote_id,
        left_out=out.left_out,
    )
