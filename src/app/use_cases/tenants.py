"""Managing tenants as data, the same for ``wlc tenants``/``wlc schedules`` and the admin API: add, change (a
merge patch of the settings, or of the schedules alone), pause, resume, remove; each answer a tenant as shown
(settings without secrets, which secrets are set) or a refusal with its reason, which only the edges turn
into an exit code or an HTTP status."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from returns.result import Failure, Result, Success

from app.settings import ScheduleSettings, TenantSettings
from app.settings_errors import explain
from app.tenants.directory import ChangeRefused, Tenant, TenantDirectory
from app.tenants.settings_data import SettingsRefused
from app.use_cases.lms import RefusalReason
from domain.errors import InvalidValue
from domain.schedules import SyncKind
from domain.tenant_records import TenantConflict, TenantConflictReason, TenantRecord, check_tenant_name, thawed


@dataclass(frozen=True, slots=True)
class TenantRefusal:
    """Why a tenant operation was not done; ``field`` is the dotted path of the setting at fault, if one is."""

    message: str
    reason: RefusalReason = RefusalReason.INVALID
    field: str | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class Removal:
    name: str
    kept: Mapping[str, int]
    """What the ledger still holds naming the tenant, by kind (runs, outbox entries, deliveries)."""


@dataclass(frozen=True, slots=True)
class Schedules:
    """A tenant's schedules as they stand, defaults filled in, with each kind's cron expression."""

    name: str
    version: int
    timezone: str
    settings: ScheduleSettings
    crons: Mapping[SyncKind, str]


_CONFLICT = {
    TenantConflictReason.EXISTS: RefusalReason.CONFLICT,
    TenantConflictReason.MISSING: RefusalReason.NOT_FOUND,
    TenantConflictReason.MOVED: RefusalReason.CONFLICT,
}


def _refusal(refused: ChangeRefused) -> TenantRefusal:
    if isinstance(refused, SettingsRefused):
        return TenantRefusal(refused.message, RefusalReason.INVALID, refused.field)
    return TenantRefusal(refused.message, _CONFLICT[refused.reason])


class ManageTenants:
    """``file_tenants`` are the names the configuration file holds (a tenant still there cannot be removed: the
    next start would import it again); ``kept(name)`` counts what the ledger keeps of a removed tenant."""

    def __init__(
        self, directory: TenantDirectory, file_tenants: Collection[str], kept: Callable[[str], Mapping[str, int]]
    ) -> None:
        self._directory = directory
        self._file_tenants = frozenset(file_tenants)
        self._kept = kept

    def list(self) -> list[Tenant]:
        return self._directory.shown()

    def show(self, name: str) -> Result[Tenant, TenantRefusal]:
        found = self._directory.shown([name])
        return Success(found[0]) if found else Failure(_missing(name))

    def add(self, name: str, data: Mapping[str, Any]) -> Result[Tenant, TenantRefusal]:
        try:
            check_tenant_name(name)
        except InvalidValue as refused:
            return Failure(TenantRefusal(refused.message, RefusalReason.INVALID, "name"))
        return self._shown(self._directory.add_data(name, data))

    def change(self, name: str, patch: Mapping[str, Any]) -> Result[Tenant, TenantRefusal]:
        """Applies ``patch``, a JSON merge patch of the tenant's settings (``null`` removes a setting)."""
        return self._shown(self._directory.change(name, patch))

    def pause(self, name: str) -> Result[Tenant, TenantRefusal]:
        return self.change(name, {"paused": True})

    def resume(self, name: str) -> Result[Tenant, TenantRefusal]:
        return self.change(name, {"paused": False})

    def remove(self, name: str) -> Result[Removal, TenantRefusal]:
        if name in self._file_tenants:
            return Failure(
                TenantRefusal(
                    f"tenant {name!r} is in the configuration file, which would import it again at the next start: "
                    "remove it from the file first",
                    RefusalReason.CONFLICT,
                )
            )
        if not self._directory.remove(name):
            return Failure(_missing(name))
        return Success(Removal(name, self._kept(name)))

    def schedules(self, name: str) -> Result[Schedules, TenantRefusal]:
        found = self._directory.shown([name])
        if not found:
            return Failure(_missing(name))
        return _schedules(found[0].record)

    def change_schedules(self, name: str, patch: Mapping[str, Any]) -> Result[Schedules, TenantRefusal]:
        """Applies ``patch``, a JSON merge patch of the tenant's ``schedules``."""
        match self._directory.change(name, {"schedules": dict(patch)}):
            case Success(record):
                return _schedules(record)
            case Failure(refused):
                return Failure(_refusal(refused))
        raise AssertionError("unreachable")

    @staticmethod
    def _shown(written: Result[TenantRecord, ChangeRefused]) -> Result[Tenant, TenantRefusal]:
        match written:
            case Success(record):
                return Success(Tenant(record, thawed(record.settings)))
            case Failure(refused):
                return Failure(_refusal(refused))
        raise AssertionError("unreachable")


def _missing(name: str) -> TenantRefusal:
    return TenantRefusal(TenantConflict(name, TenantConflictReason.MISSING).message, RefusalReason.NOT_FOUND)


def _schedules(record: TenantRecord) -> Result[Schedules, TenantRefusal]:
    data = thawed(record.settings)
    try:
        settings = ScheduleSettings.model_validate(data.get("schedules", {}))
    except ValidationError as refused:  # stored by a version whose rules were looser
        problems = explain(refused, ScheduleSettings)
        return Failure(TenantRefusal("schedules: " + "; ".join(problems), RefusalReason.INVALID, "schedules"))
    zone = str(data.get("timezone", TenantSettings.model_fields["timezone"].default))
    return Success(Schedules(record.name, record.version, zone, settings, settings.schedule().crons()))
