"""The admin API's wire models: a tenant as shown (its settings without a secret, and which secrets are set),
what a removal keeps, and a tenant's schedules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.tenants.directory import Tenant
from app.use_cases.tenants import Removal, Schedules
from domain.tenant_records import TENANT_NAME

SETTINGS_SHAPE = (
    "One tenant's settings, the shape of a [tenants.NAME] table of wlc.toml (README, 'Configuration'). Secrets "
    "(oauth.client_secret, oauth.refresh_token, isu.password, lumiq.api_key) are accepted and never returned."
)


class TenantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=f"^{TENANT_NAME.pattern}$", description="The x-account-id callers will send.")
    settings: dict[str, Any] = Field(description=SETTINGS_SHAPE)


class TenantOut(BaseModel):
    name: str
    version: int = Field(description="Grows with every change.")
    origin: str = Field(description="file (imported from the configuration file) or admin.")
    created_at: datetime
    updated_at: datetime
    paused: bool
    settings: dict[str, Any] = Field(description="Every setting given, secrets left out.")
    secrets_set: list[str] = Field(description="The dotted paths of the secrets that are set (never their values).")

    @classmethod
    def of(cls, tenant: Tenant) -> TenantOut:
        record = tenant.record
        return cls(
            name=record.name,
            version=record.version,
            origin=record.origin.value,
            created_at=record.created_at,
            updated_at=record.updated_at,
            paused=bool(tenant.settings.get("paused", False)),
            settings=tenant.settings,
            secrets_set=list(tenant.secrets_set),
        )


class TenantsOut(BaseModel):
    tenants: list[TenantOut]


class RemovedOut(BaseModel):
    name: str
    kept: dict[str, int] = Field(
        description="What the ledger keeps naming the tenant (runs, outbox entries, deliveries): its history."
    )

    @classmethod
    def of(cls, removal: Removal) -> RemovedOut:
        return cls(name=removal.name, kept=dict(removal.kept))


class SchedulesOut(BaseModel):
    name: str
    version: int
    timezone: str = Field(description="Every schedule's times are in this zone.")
    membership_daily_at: str | None
    transcripts_every_minutes: int | None
    reconcile_weekly: str | None
    reconcile_fix: bool
    paused: list[str] = Field(description="Kinds whose schedule is kept but does not fire.")
    crons: dict[str, str] = Field(description="Each scheduled kind's cron expression, in the tenant's zone.")

    @classmethod
    def of(cls, schedules: Schedules) -> SchedulesOut:
        settings = schedules.settings
        at = settings.membership_daily_at
        return cls(
            name=schedules.name,
            version=schedules.version,
            timezone=schedules.timezone,
            membership_daily_at=None if at is None else at.strftime("%H:%M"),
            transcripts_every_minutes=settings.transcripts_every_minutes,
            reconcile_weekly=settings.reconcile_weekly,
            reconcile_fix=settings.reconcile_fix,
            paused=sorted(kind.value for kind in settings.paused),
            crons={kind.value: cron for kind, cron in schedules.crons.items()},
        )
