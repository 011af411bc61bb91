"""The wire models: the unified LMS payloads as StackOne sends them (seed 001, section 8.2), field for field,
and what the API answers. Unknown fields (``additional_data``, ``unified_custom_fields``, ...) are ignored.
Requests are mapped to domain values here; a value the domain refuses raises ``InvalidValue`` naming its
field, which the API answers with 422."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from domain.errors import InvalidValue
from domain.iso_durations import parse_iso_duration
from domain.learning_completions import CompletionResult, LearningCompletion
from domain.learning_content import Content, Named
from domain.omissions import Omission


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ValueOf(_Wire):
    value: str


class SkillIn(_Wire):
    id: str | None = None
    name: str
    hierarchy: ValueOf | None = None
    language: ValueOf | None = None


class CategoryIn(_Wire):
    id: str | None = None
    name: str


class ContentIn(_Wire):
    """``PUT /unified/lms/content``."""

    title: str
    external_reference: str
    content_url: str
    description: str | None = None
    languages: list[ValueOf] | None = None
    mobile_launch_content_url: str | None = None
    mobile_url: str | None = Field(default=None, description="Another name for mobile_launch_content_url.")
    cover_url: str | None = None
    active: bool | None = None
    duration: str | None = Field(default=None, description="ISO-8601, e.g. PT1H30M45S.", examples=["PT1H30M"])
    skills: list[SkillIn] | None = None
    order: int | None = None
    categories: list[CategoryIn] = Field(min_length=1)
    requires_enrollment: bool | None = None

    def to_content(self) -> Content:
        """The domain's content; raises ``InvalidValue`` naming the field path of the first bad value."""
        mobile = self.mobile_launch_content_url or self.mobile_url
        if self.mobile_url and self.mobile_launch_content_url and self.mobile_url != self.mobile_launch_content_url:
            raise InvalidValue("mobile_url", "differs from mobile_launch_content_url; send one of them")
        return Content(
            title=self.title,
            external_reference=self.external_reference,
            content_url=self.content_url,
            description=self.description or "",
            languages=tuple(language.value for language in self.languages or ()),
            mobile_url=mobile,
            cover_url=self.cover_url,
            active=True if self.active is None else self.active,
            duration=None if self.duration is None else _duration(self.duration, "duration"),
            skills=_named("skills", [(s.name, s.id) for s in self.skills or ()]),
            categories=_named("categories", [(c.name, c.id) for c in self.categories]),
            order=self.order,
            requires_enrollment=self.requires_enrollment,
        )


def _duration(text: str, field: str) -> timedelta:
    try:
        return parse_iso_duration(text, field)
    except OverflowError:
        raise InvalidValue(field, f"{text!r} is too long a duration") from None


def _named(field: str, items: list[tuple[str, str | None]]) -> tuple[Named, ...]:
    named: list[Named] = []
    for index, (name, named_id) in enumerate(items):
        try:
            named.append(Named(name, named_id or None))
        except InvalidValue as bad:
            raise InvalidValue(f"{field}.{index}.{bad.field}", bad.message) from None
    return tuple(named)


class LeftOutOut(_Wire):
    field: str
    """The content's field (or account setting) that the tenant's Workday could not take: ``languages``..."""
    reason: str
    """Why, in Workday's terms: what the tenant's WSDL lacks."""

    @classmethod
    def of(cls, omissions: tuple[Omission, ...]) -> list[LeftOutOut]:
        return [cls(field=o.field, reason=o.reason) for o in omissions]


class ContentOut(_Wire):
    id: str
    """Our id: the external reference."""
    remote_id: str
    """Workday's course WID."""
    external_reference: str
    left_out: list[LeftOutOut] = Field(
        default_factory=list, description="What the tenant's Workday could not take, left out of the course."
    )


class ContentBatchIn(_Wire):
    items: list[dict[str, Any]] = Field(
        min_length=1, max_length=100, description="Content payloads, each as PUT /unified/lms/content takes it."
    )


class BatchItemOut(_Wire):
    index: int
    statusCode: int  # noqa: N815 - the unified API's casing
    external_reference: str | None = None
    id: str | None = None
    remote_id: str | None = None
    message: str | None = None
    field: str | None = None
    provider_errors: list[str] = Field(default_factory=list)
    left_out: list[LeftOutOut] = Field(default_factory=list)


class ContentBatchOut(_Wire):
    statusCode: int  # noqa: N815
    succeeded: int
    failed: int
    data: list[BatchItemOut]


class ResultIn(_Wire):
    value: str

    @field_validator("value")
    @classmethod
    def _pass_or_fail(cls, value: str) -> str:
        folded = value.strip().casefold()
        if folded not in {r.value for r in CompletionResult}:
            raise ValueError(f"{value!r} is not Pass or Fail")
        return folded


class ScoreIn(_Wire):
    value: Decimal | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)
    raw_value: str | None = None


class CompletionIn(_Wire):
    """``POST /unified/lms/users/{id}/completions``."""

    learning_object_external_reference: str
    result: ResultIn
    completed_at: AwareDatetime
    time_spent: str | None = Field(default=None, description="ISO-8601, e.g. PT45M.")
    score: ScoreIn | None = None

    def to_completion(self, learner_id: str) -> LearningCompletion:
        return LearningCompletion(
            learner_id=learner_id,
            learning_object_external_reference=self.learning_object_external_reference,
            result=CompletionResult(self.result.value),
            completed_at=self.completed_at,
            time_spent=None if self.time_spent is None else _duration(self.time_spent, "time_spent"),
            score=None if self.score is None else self.score.value,
            score_raw=None if self.score is None else self.score.raw_value,
        )


OutboxState = Literal["pending", "delivered", "failed", "deleted"]


class CompletionAccepted(_Wire):
    id: str
    status: OutboxState


class CompletionOut(_Wire):
    id: str
    status: OutboxState
    learner_id: str
    learning_object_external_reference: str | None = Field(
        description="The course's external reference; null when Workday does not give the course's reference."
    )
    completed_at: datetime | None = None
    result: str | None = None
    enrollment_id: str | None = Field(default=None, description="Workday's enrollment WID, once delivered.")
    error: str | None = None
    attempts: int = 0


class CategoryOut(_Wire):
    id: str
    remote_id: str | None
    name: str


class CategoryPage(_Wire):
    data: list[CategoryOut]
    next: str | None


class CategoryOne(_Wire):
    data: CategoryOut


class MembershipSyncIn(_Wire):
    apply: bool = False
    force: bool = Field(default=False, description="Apply a plan the removal guard blocked.")


class TranscriptSyncIn(_Wire):
    since: date | None = None


class ReconcileIn(_Wire):
    courses: list[Annotated[str, Field(min_length=1, max_length=400)]] = Field(
        default_factory=list, max_length=1000, description="Also compare these courses (external references)."
    )
    all_courses: bool = Field(default=False, description="Compare every digital course in Workday's catalog.")
    fix: bool = Field(default=False, description="Correct what is found: push or rescind. A dry run otherwise.")


class DiscrepancyOut(_Wire):
    finding: Literal["missing", "differs", "refused", "extra", "auto-completed"]
    learner_id: str
    course: str
    provider_result: str | None = Field(description="What the provider sent; null when it sent nothing.")
    provider_completed_at: datetime | None
    enrollment_id: str | None = Field(description="Workday's enrollment; null when it holds none.")
    workday_result: str | None
    fix: Literal["push", "rescind"] | None = Field(
        description="What corrects it; null for a completion Workday refused, which is left to an operator."
    )
    fixed: bool | None = Field(description="Whether the fix was made; null on a dry run or when there is no fix.")
    error: str | None = None
    refusal: str | None = Field(default=None, description="Workday's reason, for a refused completion.")
    refused_at: datetime | None = Field(default=None, description="When Workday refused it.")


class ReconcileOut(_Wire):
    courses: list[str]
    matched: int
    in_flight: int = Field(description="Completions still in the outbox, on their way to Workday.")
    discrepancies: list[DiscrepancyOut]
    unknown_courses: list[str] = Field(
        default_factory=list, description="Courses asked for that no course in Workday has."
    )
    run: RunOut | None = Field(description="The run ledger's record of the corrections; null on a dry run.")


class RunOut(_Wire):
    id: int
    kind: str
    tenant: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    counts: dict[str, int]
    message: str


class FailureOut(_Wire):
    kind: str
    subject: str
    error: str | None


class RunResultOut(_Wire):
    run: RunOut
    failures: list[FailureOut] = Field(default_factory=list)


class SessionRunOut(_Wire):
    """A run on the workers: queued in its tenant's turn, running, or ended with its result."""

    id: str
    tenant: str
    kind: str
    state: Literal["queued", "running", "finished", "failed", "cancelled"]
    result: dict[str, Any] | None = Field(
        default=None,
        description="Once finished: run (the ledger's run id, when one was recorded; GET /runs/{run}), outcome, "
        "counts, message.",
    )
    error: str | None = None


class PlanOut(_Wire):
    dry_run: Literal[True] = True
    summary: dict[str, int]
    blocked: bool
    reasons: list[str]


class ErrorOut(_Wire):
    statusCode: int  # noqa: N815
    message: str
    timestamp: str
    provider_errors: list[str]
    field: str | None = None
