"""What the routes need of an account (a configured tenant): its use cases, each built on use, behind one
seam so that the routes and their tests need no container."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from returns.result import Result

from adapters.storage.api_keys import SqlApiKeyStore
from adapters.storage.completion_outbox import SqlCompletionOutbox
from app.settings import ApiSettings
from app.use_cases.deliver import Delivery
from app.use_cases.lms import LmsRefusal, UpsertOutcome
from app.use_cases.membership import MembershipSyncResult
from app.use_cases.reconcile import ReconcileResult
from app.use_cases.transcripts import TranscriptSyncResult
from domain.content_dedup import CatalogCourse
from domain.course_detail import CourseDetail
from domain.learning_completions import Enrollment, LearningCompletion
from domain.learning_content import Content, Named
from domain.membership_plan import MembershipPlan
from domain.outbox import OutboxEntry
from domain.ports.clock import Clock
from domain.ports.sync_ledger import SyncLedger

Upsert = Callable[[Content], Result[UpsertOutcome, LmsRefusal]]
Push = Callable[[LearningCompletion], Result[Enrollment, LmsRefusal]]
Deliver = Callable[[OutboxEntry], Delivery]
GetOne = Callable[[str, str], Enrollment | None]
Delete = Callable[[str, str], Result[Enrollment, LmsRefusal]]
ListNamed = Callable[[], list[Named]]
ListCourses = Callable[[], list[CatalogCourse]]
ShowCourse = Callable[[str], Result[CourseDetail, LmsRefusal]]
ListEnrollments = Callable[[str | None, str | None], Result[list[Enrollment], LmsRefusal]]
PlanRun = Callable[[], MembershipPlan]
MembershipRun = Callable[[bool], MembershipSyncResult]
TranscriptsRun = Callable[[date | None], TranscriptSyncResult]


class ReconcileRun(Protocol):
    def __call__(
        self, courses: Iterable[str] = (), *, all_courses: bool = False, fix: bool = False
    ) -> ReconcileResult: ...


@dataclass(frozen=True, slots=True)
class AccountServices:
    """An account's use cases. Each field builds the use case when called (a container's factory provider, or
    a lambda in tests), so a request gets a fresh use case over the account's long-lived adapters."""

    name: str
    upsert_content: Callable[[], Upsert]
    push_completion: Callable[[], Push]
    deliver_completion: Callable[[], Deliver]
    get_completion: Callable[[], GetOne]
    delete_completion: Callable[[], Delete]
    list_categories: Callable[[], ListNamed]
    list_skills: Callable[[], ListNamed]
    list_content: Callable[[], ListCourses]
    show_content: Callable[[], ShowCourse]
    list_enrollments: Callable[[], ListEnrollments]
    plan_membership: Callable[[], PlanRun]
    sync_membership: Callable[[], MembershipRun]
    sync_transcripts: Callable[[], TranscriptsRun]
    sync_ledger: Callable[[], SyncLedger]
    reconcile: Callable[[], ReconcileRun]
    close: Callable[[], None] = lambda: None
    """Releases the account's resources (HTTP clients) when the app stops."""


class Accounts:
    """The configured accounts by name; each account's services are built on first use, once."""

    def __init__(self, names: Iterable[str], build: Callable[[str], AccountServices]) -> None:
        self._names = frozenset(names)
        self._build = build
        self._built: dict[str, AccountServices] = {}
        self._lock = threading.Lock()

    def __contains__(self, name: object) -> bool:
        return name in self._names

    @property
    def names(self) -> frozenset[str]:
        return self._names

    def get(self, name: str) -> AccountServices:
        """The account's services; raises ``KeyError`` for an account that is not configured."""
        if name not in self._names:
            raise KeyError(name)
        with self._lock:
            if name not in self._built:
                self._built[name] = self._build(name)
            return self._built[name]

    def close(self) -> None:
        with self._lock:
            built, self._built = list(self._built.values()), {}
        for services in built:
            services.close()


@dataclass(slots=True)
class HttpDependencies:
    """Everything ``create_app`` needs. The key store and the outbox span accounts (one table each in the
    ledger's database), so they live here rather than in an account's container."""

    accounts: Accounts
    keys: SqlApiKeyStore
    outbox: SqlCompletionOutbox
    clock: Clock
    api: ApiSettings = field(default_factory=ApiSettings)
    """The request body limits."""
