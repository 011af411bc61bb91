"""LumiQ's JSON as docs/lumiq-api.md specifies it (members and completions), and its mapping to and from
domain values. The only place (with that page) that changes when LumiQ's real API is known."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from adapters.lumiq.errors import LumiqInvalidCompletion, LumiqInvalidMember
from domain.errors import InvalidValue
from domain.members import Member, MemberStatus
from domain.membership_plan import FieldChange
from domain.transcripts import ProviderCompletion
from domain.workers import Worker

WIRE_FIELD_NAMES = {
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "wid": "workday_wid",
    "employee_id": "employee_id",
}
"""Domain member field (``FieldChange.field``) to LumiQ's name for it."""

COMPLETION_WIRE_NAMES = {
    "completion_id": "id",
    "learner_employee_id": "member.employee_id",
    "course_id": "episode.id",
    "title": "episode.title",
    "description": "episode.description",
    "field_of_study": "episode.field_of_study",
    "credits": "episode.credits",
    "completed_at": "completed_at",
}
"""``ProviderCompletion`` field to where LumiQ's completion holds it, so an error names what LumiQ sent."""


class _Wire(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class WireMember(_Wire):
    id: str
    status: Literal["invited", "active", "removed"]
    first_name: str
    last_name: str
    email: str | None = None
    workday_wid: str | None = None
    employee_id: str | None = None
    invited_at: datetime | None = None
    removed_at: datetime | None = None

    def to_domain(self) -> Member:
        """The domain member; raises ``InvalidValue`` naming the field when a value breaks a domain rule."""
        return Member(
            id=self.id,
            status=MemberStatus(self.status),
            first_name=self.first_name,
            last_name=self.last_name,
            wid=self.workday_wid,
            employee_id=self.employee_id,
            email=self.email,
        )


class WirePage(_Wire):
    """One page of ``GET /v1/members``. Members stay raw here so that one bad member is reported by its id
    (see ``member_from_wire``) instead of as a position in the page."""

    data: list[dict[str, object]]
    next_cursor: str | None


class WireInvitation(_Wire):
    first_name: str
    last_name: str
    email: str | None
    workday_wid: str
    employee_id: str

    @classmethod
    def from_worker(cls, worker: Worker) -> WireInvitation:
        return cls(
            first_name=worker.first_name,
            last_name=worker.last_name,
            email=worker.email,
            workday_wid=worker.wid,
            employee_id=worker.employee_id,
        )


class WirePatch(_Wire):
    """A ``PATCH /v1/members/{id}`` body. Only the fields that were set are sent (``body``), so an email set
    to ``None`` is sent as ``null`` while an untouched email is not sent at all."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    workday_wid: str | None = None
    employee_id: str | None = None

    @classmethod
    def from_changes(cls, changes: tuple[FieldChange, ...]) -> WirePatch:
        """Raises ``InvalidValue`` for a field LumiQ has no name for: the caller has a bug."""
        values: dict[str, str | None] = {}
        for change in changes:
            wire_name = WIRE_FIELD_NAMES.get(change.field)
            if wire_name is None:
                raise InvalidValue(change.field, "is not a member field LumiQ can change")
            values[wire_name] = change.after
        return cls.model_validate(values)

    def body(self) -> dict[str, object]:
        return self.model_dump(exclude_unset=True)


class WireCompletionMember(_Wire):
    id: str
    employee_id: str | None = None
    workday_wid: str | None = None


class WireEpisode(_Wire):
    id: str
    title: str
    # An episode with no description or field of study is still a course Workday can hold: null reads as blank.
    description: str | None = None
    field_of_study: str | None = None
    credits: Decimal = Field(allow_inf_nan=False)


class WireCompletion(_Wire):
    id: str
    member: WireCompletionMember
    episode: WireEpisode
    status: Literal["passed", "failed"]
    completed_at: datetime
    revoked: bool

    def to_domain(self) -> ProviderCompletion:
        """The domain completion; raises ``InvalidValue`` naming the field when a value breaks a domain rule."""
        return ProviderCompletion(
            completion_id=self.id,
            learner_employee_id=self.member.employee_id,
            course_id=self.episode.id,
            title=self.episode.title,
            description=self.episode.description or "",
            field_of_study=self.episode.field_of_study or "",
            credits=self.episode.credits,
            completed_at=self.completed_at,
            passed=self.status == "passed",
            revoked=self.revoked,
        )


class WireCompletionPage(_Wire):
    """One page of ``GET /v1/completions``. Completions stay raw here so that one bad completion is reported
    by its id (see ``completion_from_wire``) instead of as a position in the page."""

    data: list[dict[str, object]]
    cursor: str
    has_more: bool


class WireErrorDetail(_Wire):
    code: str
    message: str
    field: str | None = None


class WireError(_Wire):
    error: WireErrorDetail


def member_from_wire(raw: object) -> Member:
    """The domain member for one listed member; raises ``LumiqInvalidMember`` naming its id and field."""
    member_id = str(raw.get("id", "(no id)")) if isinstance(raw, dict) else "(not an object)"
    try:
        return WireMember.model_validate(raw).to_domain()
    except ValidationError as invalid:
        first = invalid.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "member"
        raise LumiqInvalidMember(member_id, field, first["msg"]) from invalid
    except InvalidValue as invalid:
        raise LumiqInvalidMember(member_id, _wire_name(invalid.field), invalid.message) from invalid


def completion_from_wire(raw: object) -> ProviderCompletion:
    """The domain completion for one completion of the feed; raises ``LumiqInvalidCompletion`` naming its id
    and the field as LumiQ names it (``episode.id``, ``completed_at``, ...)."""
    completion_id = str(raw.get("id", "(no id)")) if isinstance(raw, dict) else "(not an object)"
    try:
        return WireCompletion.model_validate(raw).to_domain()
    except ValidationError as invalid:
        first = invalid.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "completion"
        raise LumiqInvalidCompletion(completion_id, field, first["msg"]) from invalid
    except InvalidValue as invalid:
        field = COMPLETION_WIRE_NAMES.get(invalid.field, invalid.field)
        raise LumiqInvalidCompletion(completion_id, field, invalid.message) from invalid


def error_from_wire(content: bytes) -> WireErrorDetail | None:
    """LumiQ's error body, or ``None`` when the body is not the documented shape (e.g. a proxy's HTML)."""
    try:
        return WireError.model_validate_json(content).error
    except ValidationError:
        return None


def _wire_name(domain_field: str) -> str:
    return WIRE_FIELD_NAMES.get(domain_field, domain_field)
