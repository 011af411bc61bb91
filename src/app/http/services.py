"""What the routes need of a tenant: its use cases, each built on use from its container, behind one typed seam
(the container's providers are untyped)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from returns.result import Result

if TYPE_CHECKING:
    from app.application import Application, Tenants
    from app.container import TenantContainer
    from app.runtime.client import Runs

from adapters.storage.api_keys import SqlApiKeyStore
from adapters.storage.completion_outbox import SqlCompletionOutbox
from app.settings import ApiSettings
from app.use_cases.deliver import Delivery
from app.use_cases.lms import LmsRefusal, UpsertOutcome
from app.use_cases.membership import MembershipSyncResult
from app.use_cases.reconcile import ReconcileResult
from app.use_cases.status import StatusOfTenants
from app.use_cases.tenants import ManageTenants
from app.use_cases.transcripts import TranscriptSyncResult
from domain.content_dedup import CatalogCourse
from domain.course_detail import CourseDetail
from domain.learning_completions import Enrollment, LearningCompletion
from domain.learning_content import Content, Named
from domain.membership_plan import MembershipPlan
from domain.outbox import OutboxEntry
from domain.ports.clock import Clock
from domain.ports.outbox_health import OutboxHealth
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
class TenantServices:
    """A tenant's use cases. Each field builds the use case when called (its container's factory provider), so
    a request gets a fresh use case over the tenant's long-lived adapters."""

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


class ServedTenants:
    """The tenants the API serves, by name, as the tenants table has them now (``app.tenants.registry``): each
    one's services, made from the container of its current version on first use, and made again when the
    tenant changes."""

    def __init__(self, tenants: Tenants) -> None:
        self._tenants = tenants
        self._built: dict[str, tuple[TenantContainer, TenantServices]] = {}
        self._lock = threading.Lock()

    def __contains__(self, name: object) -> bool:
        return name in self._tenants

    @property
    def names(self) -> frozenset[str]:
        return self._tenants.names

    @property
    def registry(self) -> Tenants:
        return self._tenants

    def get(self, name: str) -> TenantServices:
        """The tenant's services; raises ``KeyError`` for a tenant that is not configured."""
        container = self._tenants.get(name)
        with self._lock:
            built = self._built.get(name)
            if built is None or built[0] is not container:
                built = self._built[name] = (container, services_from_container(name, container))
            return built[1]

    def close(self) -> None:
        with self._lock:
            self._built = {}
        self._tenants.close()


@dataclass(slots=True)
class ApiDependencies:
    """Everything ``create_app`` needs, taken from the application container (``api_dependencies``): the
    tenants it serves, and the key store and outbox, which span tenants (one table each in the ledger)."""

    tenants: ServedTenants
    keys: SqlApiKeyStore
    outbox: SqlCompletionOutbox
    clock: Clock
    manage_tenants: Callable[[], ManageTenants]
    """The admin API's use case (``/admin/tenants``)."""
    tenant_status: Callable[[], StatusOfTenants]
    """Every tenant's status (``/admin/status``)."""
    outbox_health: Callable[[], OutboxHealth]
    """How each tenant's outbox stands, for the metrics."""
    api: ApiSettings = field(default_factory=ApiSettings)
    """The request body limits."""
    application: Application | None = None
    """The whole application, for the ops console (``app.http.console``), which reads every tenant's status."""
    runs: Runs | None = None
    """Sync runs, started on the workers and followed (``POST /sync/*``, ``GET /runs/{id}``)."""


def api_dependencies(application: Application) -> ApiDependencies:
    from app.runtime.client import Runs

    return ApiDependencies(
        tenants=ServedTenants(application.tenants()),
        manage_tenants=application.manage_tenants,
        tenant_status=application.tenant_status,
        outbox_health=application.outbox_health,
        keys=application.api_keys(),
        outbox=application.completion_outbox(),
        clock=application.clock(),
        api=application.settings().api,
        application=application,
        runs=Runs(application),
    )


def services_from_container(name: str, container: TenantContainer) -> TenantServices:
    """A tenant's services from its container (whose providers are untyped). Use cases are built under the
    tenant's lock: the API's threads (requests, outbox deliveries) would otherwise race to make the container's
    resources, and a resource made twice is closed when the loser is collected, under the feet of whoever holds
    it. Nothing is made before a use case is asked for, so checking a caller's key or accepting a completion
    never waits on Workday."""
    warm = _Warm(container)
    return TenantServices(
        name=name,
        upsert_content=warm.then(container.upsert_content),
        push_completion=warm.then(container.push_completion),
        deliver_completion=warm.then(container.deliver_completion),
        get_completion=warm.then(container.get_completion),
        delete_completion=warm.then(container.delete_completion),
        list_categories=warm.then(container.list_categories),
        list_skills=warm.then(container.list_skills),
        list_content=warm.then(container.list_content),
        show_content=warm.then(container.show_content),
        list_enrollments=warm.then(container.list_enrollments),
        plan_membership=warm.then(container.plan_membership),
        sync_membership=warm.then(container.sync_membership),
        sync_transcripts=warm.then(container.sync_transcripts),
        sync_ledger=warm.then(container.sync_ledger),
        reconcile=warm.then(container.reconcile),
    )


class _Warm:
    """Builds a tenant's use cases one at a time: the first build of each resource and adapter happens under
    the lock, once, and a use case that cannot be built fails alone."""

    def __init__(self, container: Any) -> None:
        self._container = container
        self._lock = threading.Lock()

    def then(self, provider: Callable[[], Any]) -> Callable[[], Any]:
        first = True

        def built() -> Any:
            nonlocal first
            with self._lock:
                use_case = provider()
                if first:
                    # What the first build made (a WSDL's schema, clients) lives as long as the process: out of the
                    # collector's sight, as ``create_app`` does with what start-up made.
                    gc.freeze()
                    first = False
                return use_case

        return built
