"""Settings: a TOML file (``wlc.toml``, or the file ``--config`` / ``WLC_CONFIG`` names) overlaid by
environment variables ``WLC_...`` (nested with ``__``, e.g. ``WLC_TENANTS__ACME__LUMIQ__API_KEY``).
Several customer tenants may be configured; ``--tenant`` picks one. Secrets are ``SecretStr``: they print
as ``**********`` and are never logged.

A key that is not a setting is an error, in the file and in a nested variable (``WLC_TENANTS__ACME__...``),
with the setting it was probably meant to be. An unknown top-level ``WLC_...`` variable is not: the prefix is
shared with the process's own variables (``WLC_CONFIG``, ``WLC_DELIVERY_PARENT``, …). Every URL the connector
calls must be ``https://``; ``http://`` is accepted only for a loopback host (127.0.0.1, ::1, localhost),
where the sandbox runs, since nothing sent there crosses a network."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from datetime import time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from app.errors import ConfigurationError
from app.settings_errors import closest, explain
from app.settings_urls import Host, UrlOrFile, WebUrl, web_url
from domain.errors import InvalidValue
from domain.schedules import SyncKind, TenantSchedule, Weekday
from domain.workers import REPORT_FIELDS

DEFAULT_CONFIG_FILE = Path("wlc.toml")


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OAuthSettings(_Section):
    """An "API Client for Integrations" and a refresh token from "Manage Refresh Tokens for Integrations"."""

    client_id: str
    client_secret: SecretStr
    refresh_token: SecretStr
    client_auth: Literal["basic", "body"] = "basic"
    token_url: WebUrl | None = None
    """Defaults to ``{host}/ccx/oauth2/{tenant}/token``."""


class IsuSettings(_Section):
    """An Integration System User for Basic auth on RaaS (``user`` or ``user@tenant``)."""

    username: str
    password: SecretStr


class RaasSettings(_Section):
    url: WebUrl
    """The report's URL: ``https://{host}/ccx/service/customreport2/{tenant}/{owner}/{report}``."""
    format: Literal["json", "workday_xml", "simple_xml"] = "json"
    auth: Literal["oauth", "isu"] = "oauth"
    columns: dict[str, str] = Field(default_factory=dict)
    """Column aliases by canonical name, for reports whose XML aliases differ from the seed's."""
    read_timeout_seconds: float = 600.0

    @field_validator("columns")
    @classmethod
    def _known_columns(cls, columns: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(columns) - set(REPORT_FIELDS))
        if unknown:
            guesses = [
                f"{name} (did you mean {guess}?)" if (guess := closest(name, REPORT_FIELDS)) else name
                for name in unknown
            ]
            raise ValueError(f"unknown column {', '.join(guesses)}; the columns are {', '.join(REPORT_FIELDS)}")
        return columns


class LumiqSettings(_Section):
    base_url: WebUrl
    api_key: SecretStr
    page_size: int = Field(default=500, ge=1, le=1000)


class LearningSettings(_Section):
    """The Learning web service (SOAP) that receives transcripts."""

    version: str = Field(default="v44.2", pattern=r"^v\d+(\.\d+)?$")
    wsdl: UrlOrFile | None = None
    """A URL or a local file; defaults to the endpoint's own ``?wsdl``."""
    auth: Literal["oauth", "isu"] = "oauth"
    rate_limit: int = Field(default=5, ge=1, le=1000)
    """Requests per second to this tenant: Workday allows 5 to 10 (the sandbox may allow more, for the demo).
    Never exceeded, and used in full."""
    rate_margin_ms: int = Field(default=30, ge=0, le=500)
    """Milliseconds added to each second of the limit, against requests that leave evenly and arrive bunched: 30
    covers an open connection's jitter and keeps 97% of the limit; where Workday still answers 429s (a distant
    data centre, a host short of CPU), widen it (100 keeps 91%). Every process of the tenant uses the same."""
    concurrency: int = Field(default=16, ge=1, le=64)
    """Requests in flight; enough to use the rate limit in full when each call takes hundreds of ms."""
    grade_pass: str = Field(default="PASS", min_length=1)
    """The tenant's ``Learning_Grade_ID`` of a passed completion: each tenant configures its own grades."""
    grade_fail: str = Field(default="FAIL", min_length=1)
    """The tenant's ``Learning_Grade_ID`` of a failed completion."""


class TalentSettings(_Section):
    """The Talent web service (SOAP), where the tenant's skills are listed (``Get_Skills``)."""

    version: str | None = Field(default=None, pattern=r"^v\d+(\.\d+)?$")
    """Defaults to the Learning service's version."""
    wsdl: UrlOrFile | None = None
    """A URL or a local file; defaults to the endpoint's own ``?wsdl``."""


class LmsSettings(_Section):
    """The account configuration of the unified LMS operations (seed 001, section 6)."""

    requires_enrollment: bool = True
    create_mobile_lesson: bool = False
    """"Create Duplicate Content for Mobile": a second lesson for ``mobile_url``."""
    media_file_wid: str | None = None
    """The media file used as the completion blocker, if the account uses one."""
    catalog: Literal["soap", "rest"] = "soap"
    """How catalog reads go: Workday's REST API where the tenant's API client allows it, SOAP otherwise."""
    course_lookup_seconds: float = Field(default=60.0, ge=0.0, le=3600.0)
    """How long a process keeps the tenant's courses, as read to find a completion's course by its reference
    (``app.use_cases.lms.RecentCourses``): a course whose reference moved to another, or that was removed, can be
    found stale for this long. 0 reads the catalog for every completion."""


MIB = 1024 * 1024


class ApiSettings(_Section):
    """The HTTP API (``wlc serve``): the largest request bodies it reads. A body over its limit is refused with
    413 before it is parsed."""

    max_body_bytes: int = Field(default=1 * MIB, ge=1024)
    """Any request but a batch: one content item, one completion. The seed's content payload is under 1 KiB."""
    max_batch_body_bytes: int = Field(default=10 * MIB, ge=1024)
    """``POST /unified/lms/content/batch`` (up to 100 items)."""


class GuardSettings(_Section):
    max_removal_share: float = Field(default=0.10, ge=0.0, le=1.0)
    min_report_share: float = Field(default=0.50, ge=0.0, le=1.0)


class ScheduleSettings(_Section):
    """When the runtime syncs the tenant by itself, in the tenant's time zone (``domain.schedules``)."""

    membership_daily_at: time | None = time(6, 0)
    """A local time (HH:MM); ``"off"`` turns the schedule off (as it does each kind's)."""
    transcripts_every_minutes: int | None = 60
    reconcile_weekly: str | None = "sun 04:00"
    """A day and a local time, e.g. ``"sun 04:00"``."""
    reconcile_fix: bool = False
    """Scheduled reconciles correct what they find; dry runs otherwise."""
    paused: list[SyncKind] = Field(default_factory=list)
    """Kinds whose schedule is kept but does not fire."""

    @field_validator("membership_daily_at", "transcripts_every_minutes", "reconcile_weekly", mode="before")
    @classmethod
    def _off(cls, value: object) -> object:
        """``"off"`` is how a file (TOML has no null) or an operator turns a schedule off."""
        return None if isinstance(value, str) and value.strip().lower() == "off" else value

    @field_validator("transcripts_every_minutes")
    @classmethod
    def _an_interval_the_domain_takes(cls, value: int | None) -> int | None:
        """Checked here, on its own, so that an error names this setting rather than the whole table."""
        try:
            TenantSchedule(None, value, None)
        except InvalidValue as refused:
            raise ValueError(refused.message) from None
        return value

    @field_validator("paused")
    @classmethod
    def _kinds_with_a_schedule(cls, value: list[SyncKind]) -> list[SyncKind]:
        try:
            TenantSchedule(None, None, None, paused=frozenset(value))
        except InvalidValue as refused:
            raise ValueError(refused.message) from None
        return value

    @field_validator("reconcile_weekly")
    @classmethod
    def _day_and_time(cls, value: str | None) -> str | None:
        if value is not None:
            _weekly(value)
        return value

    @model_validator(mode="after")
    def _a_schedule_the_domain_takes(self) -> ScheduleSettings:
        try:
            self.schedule()
        except InvalidValue as refused:
            raise ValueError(str(refused)) from None
        return self

    def schedule(self) -> TenantSchedule:
        """The domain's schedule; raises ``InvalidValue`` for one it refuses."""
        weekly = None if self.reconcile_weekly is None else _weekly(self.reconcile_weekly)
        return TenantSchedule(
            self.membership_daily_at, self.transcripts_every_minutes, weekly, self.reconcile_fix, frozenset(self.paused)
        )


def _weekly(value: str) -> tuple[Weekday, time]:
    day, _, at = value.strip().partition(" ")
    try:
        return Weekday(day.lower()[:3]), time.fromisoformat(at.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a day and a time such as 'sun 04:00'") from None


class StaleAfterSettings(_Section):
    """Hours without a successful run of a kind after which the tenant has an incident; none: never."""

    membership: float | None = Field(default=26.0, gt=0)
    """A daily sync that missed one day, with two hours to spare."""
    transcripts: float | None = Field(default=6.0, gt=0)
    reconcile: float | None = Field(default=None, gt=0)
    """Off by default: a scheduled reconcile is a dry run, recorded only when it fixes."""


class EmailAlertSettings(_Section):
    """An SMTP relay the alerts are sent through."""

    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    """STARTTLS (port 587), TLS from the first byte (``ssl``, port 465), or none (a relay on this host only)."""
    username: str | None = None
    password: SecretStr | None = None
    sender: str = Field(min_length=3)
    recipients: list[str] = Field(min_length=1)
    timeout_seconds: float = Field(default=30.0, gt=0)
    ca_file: Path | None = None
    """A CA bundle to trust for the relay's certificate instead of the system's."""

    @model_validator(mode="after")
    def _plain_only_on_this_host(self) -> EmailAlertSettings:
        if self.security == "none" and self.host not in {"127.0.0.1", "::1", "localhost"}:
            raise ValueError(f"security 'none' sends {self.host} the mail in clear: use starttls or ssl")
        return self


class ConsoleSettings(_Section):
    """The ops console (``/console`` of ``wlc serve``): how its session cookie is signed and how long it lasts."""

    session_key: SecretStr | None = None
    """Signs the console's session cookies (``WLC_CONSOLE__SESSION_KEY``), shared by every API process. Unset,
    one is made on first need and kept in the ledger, sealed as the tenants' secrets are."""
    session_hours: float = Field(default=8.0, gt=0, le=24 * 30)
    """A session ends this long after its login, or at logout."""


class AlertSettings(_Section):
    """Where alerts go and when. ``[alerts]`` holds every tenant's; ``[tenants.X.alerts]`` changes the tenant's:
    each setting it names replaces the global one (its own webhook, or its own email relay, instead of the global;
    in ``stale_after_hours``, each kind it names), and the rest are the global ones."""

    webhook_url: SecretStr | None = None
    """A JSON webhook (a Slack incoming webhook, say): https, or http to a loopback host. A secret, since a
    webhook's URL is its key."""
    email: EmailAlertSettings | None = None
    stale_after_hours: StaleAfterSettings = StaleAfterSettings()
    outbox_older_than_minutes: float | None = Field(default=60.0, gt=0)
    """The age past which the outbox's oldest pending completion is an incident; none: never."""

    @field_validator("webhook_url")
    @classmethod
    def _web_url(cls, url: SecretStr | None) -> SecretStr | None:
        if url is not None:
            try:
                web_url(url.get_secret_value())
            except ValueError:
                # Not quoted: the URL is a secret.
                raise ValueError("must be https:// (http:// only to a loopback host), with a host") from None
        return url

    def under(self, tenant: AlertSettings) -> AlertSettings:
        """These settings with each one ``tenant`` names replacing this one; in ``stale_after_hours``, each kind
        it names."""
        named = {name: getattr(tenant, name) for name in tenant.model_fields_set}
        if "stale_after_hours" in named:
            own = tenant.stale_after_hours
            kinds = {kind: getattr(own, kind) for kind in own.model_fields_set}
            named["stale_after_hours"] = self.stale_after_hours.model_copy(update=kinds)
        return self.model_copy(update=named)


class TenantSettings(_Section):
    host: Host
    """The Workday host, e.g. ``https://wd2-impl-services1.workday.com``."""
    tenant: str
    """The Workday tenant name as it appears in its URLs."""
    timezone: str = "America/Los_Angeles"
    """The tenant's zone: "today" for termination dates is this zone's date."""
    raas: RaasSettings
    lumiq: LumiqSettings
    oauth: OAuthSettings | None = None
    isu: IsuSettings | None = None
    guard: GuardSettings = GuardSettings()
    learning: LearningSettings = LearningSettings()
    talent: TalentSettings = TalentSettings()
    lms: LmsSettings = LmsSettings()
    apply_concurrency: int = Field(default=4, ge=1, le=32)
    schedules: ScheduleSettings = ScheduleSettings()
    paused: bool = False
    """A paused tenant runs nothing by itself: no schedule fires and its outbox is not delivered."""
    alerts: AlertSettings = AlertSettings()
    """What the tenant's alerts change of the global ``[alerts]`` (only the settings it names)."""

    @field_validator("timezone")
    @classmethod
    def _real_zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{zone!r} is not an IANA time zone such as America/Toronto") from None
        return zone

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def learning_endpoint(self) -> str:
        return f"{self.host.rstrip('/')}/ccx/service/{self.tenant}/Learning/{self.learning.version}"

    @property
    def talent_endpoint(self) -> str:
        version = self.talent.version or self.learning.version
        return f"{self.host.rstrip('/')}/ccx/service/{self.tenant}/Talent/{version}"

    @property
    def token_url(self) -> str:
        if self.oauth is not None and self.oauth.token_url:
            return self.oauth.token_url
        return f"{self.host.rstrip('/')}/ccx/oauth2/{self.tenant}/token"


class RuntimeSettings(_Section):
    """The runtime's engine (``app.runtime``): DBOS Transact, its state in a system database of its own."""

    system_database_url: str | None = None
    """By default a SQLite file beside a SQLite ledger (``wlc-ledger-runtime.sqlite3`` beside
    ``wlc-ledger.sqlite3``), or the PostgreSQL ledger's own database (the engine's tables in a schema ``dbos``)."""
    executor_id: str | None = None
    """This worker's stable name (``WLC_RUNTIME__EXECUTOR_ID``): a worker started again under it resumes the
    sessions it was running. By default the host's name."""
    tick_seconds: int = Field(default=10, ge=1, le=60)
    """How often the tick looks for due schedules and due deliveries; must divide a minute. A run starts up to this
    long after it falls due (a completion posted waits up to this long for its delivery session), and each tick costs
    an idle worker CPU: at 5 s with 500 tenants, about 0.6% of a core (docs/benchmarks.md)."""
    queue_polling_seconds: float = Field(default=2.0, gt=0, le=60)
    """How often a worker looks for queued runs (the sessions' queue, the triggers'): a run waits up to this long in
    each queue it passes (a run started by hand passes two), and each look costs an idle worker CPU: at 1 s, the
    two queues are about 1% of a core (docs/benchmarks.md)."""
    scheduler_polling_seconds: float = Field(default=30.0, gt=0, le=600)
    sessions_per_worker: int | None = Field(default=None, ge=1)
    """The most tenant sessions one worker runs at once; the others wait for a worker with room. None: an even
    share of the tenants served among the workers alive, kept by the tick as tenants and workers come and go
    (``app.runtime.share``), so the sessions spread over the workers and every tenant can still run at once. A
    number fixes it (each worker must then have the same: the engine keeps one per queue)."""
    deliveries_per_session: int = Field(default=500, ge=1)
    """A delivery session's most entries: the tenant's other kinds get their turn between two sessions."""
    heartbeat_seconds: float = Field(default=5.0, gt=0, le=60)
    """How often each worker records in the ledger that it is alive (``app.runtime.liveness``)."""
    worker_timeout_seconds: float = Field(default=30.0, gt=0, le=3600)
    """A worker silent for this long is taken over: another worker resumes its unfinished sessions. It stops
    sending to Workday after half of it without a beat."""
    alerts_seconds: int = Field(default=60, ge=1)
    """How often the tick evaluates every tenant's alerts (once across every worker): a multiple of the tick."""
    rest_first_seconds: float = Field(default=60.0, gt=0)
    """A tenant whose last run of a kind failed rests from that kind at least this long (``domain.tenant_rest``)."""
    rest_most_seconds: float = Field(default=3600.0, gt=0)
    """...and at most this long, however long it has been failing."""

    @property
    def idle_in_transaction_seconds(self) -> float:
        """How long PostgreSQL lets a connection of this process sit inside a transaction without a statement
        before it ends the connection, releasing its locks: half the worker timeout. A worker cut off from the
        database while it holds rows (a tenant's request budget, a delivery being recorded, the engine's own) thus
        holds them no longer than until the worker that takes it over needs them."""
        return self.worker_timeout_seconds / 2

    @model_validator(mode="after")
    def _beats_within_the_timeout(self) -> RuntimeSettings:
        if self.heartbeat_seconds * 3 > self.worker_timeout_seconds:
            raise ValueError(
                f"worker_timeout_seconds ({self.worker_timeout_seconds}) must be at least three heartbeats "
                f"(heartbeat_seconds {self.heartbeat_seconds}): a worker that misses one beat is not dead"
            )
        return self

    @field_validator("tick_seconds")
    @classmethod
    def _divides_a_minute(cls, value: int) -> int:
        if 60 % value:
            raise ValueError(f"{value} does not divide a minute (1, 2, 3, 5, 10, 15, 20, 30 or 60)")
        return value

    @model_validator(mode="after")
    def _alerts_on_ticks(self) -> RuntimeSettings:
        if self.alerts_seconds % self.tick_seconds:
            raise ValueError(f"alerts_seconds ({self.alerts_seconds}) must be a multiple of tick_seconds")
        if self.rest_most_seconds < self.rest_first_seconds:
            raise ValueError("rest_most_seconds must be at least rest_first_seconds")
        return self


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WLC_", env_nested_delimiter="__", extra="forbid")

    ledger_url: str = "sqlite:///wlc-ledger.sqlite3"
    """Where runs and applied actions are kept: a SQLite file by default, or a PostgreSQL URL."""
    secret_keys: SecretStr | None = None
    """The keys that encrypt the tenants' secrets in the ledger (``WLC_SECRET_KEYS``): Fernet keys from ``wlc
    secrets new-key``, comma-separated; the first encrypts, every one decrypts (``app.tenants.secrets``)."""
    secret_key_file: Path | None = None
    """A file holding those keys instead, one a line (``WLC_SECRET_KEY_FILE``). With neither, a SQLite ledger
    keeps its key in ``wlc-secret.key`` beside it, made on first need."""
    budget_url: str | None = None
    """Where every process keeps each tenant's shared request budget (``adapters.budget``): ``redis://host:port/db``
    (or ``rediss://``, ``unix://``), or a SQLite or PostgreSQL URL. By default the ledger's database (on SQLite, a
    file beside the ledger's)."""
    default_tenant: str | None = None
    tenants: dict[str, TenantSettings] = Field(default_factory=dict)
    api: ApiSettings = ApiSettings()
    alerts: AlertSettings = AlertSettings()
    log_format: Literal["json", "console"] = "console"
    """How log records are written (``WLC_LOG_FORMAT``, or ``wlc --log-format``): one JSON object a line for
    machines, or a readable line for people; every record names its time, level, tenant, run and request."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] | None = None
    """The lowest level logged (``WLC_LOG_LEVEL``); by default INFO for ``wlc serve`` and ``wlc worker``, WARNING
    for the other commands."""
    otlp_endpoint: str | None = None
    """Where traces go over OTLP/HTTP (``WLC_OTLP_ENDPOINT``), e.g. ``http://collector:4318``; the standard
    ``OTEL_EXPORTER_OTLP_ENDPOINT`` turns them on too. Off by default: no span leaves the process."""
    console: ConsoleSettings = ConsoleSettings()
    runtime: RuntimeSettings = RuntimeSettings()

    @field_validator("budget_url")
    @classmethod
    def _a_store(cls, url: str | None) -> str | None:
        stores = ("redis://", "rediss://", "unix://", "sqlite:", "postgresql:", "postgresql+")
        if url is not None and not url.startswith(stores):
            raise ValueError("is not a redis://, rediss://, unix://, sqlite:/// or postgresql:// URL")
        return url

    def tenant(self, name: str | None) -> tuple[str, TenantSettings]:
        """The named tenant of the file, or the only/default one; raises ``ConfigurationError`` if that is
        ambiguous."""
        chosen = pick_tenant(list(self.tenants), name, self.default_tenant)
        return chosen, self.tenants[chosen]


def pick_tenant(names: Sequence[str], name: str | None, default: str | None) -> str:
    """``name``, or ``default``, or the only one of ``names``; raises ``ConfigurationError`` when that is
    ambiguous or not among ``names``."""
    chosen = name or default
    if chosen is None:
        if len(names) == 1:
            return names[0]
        if not names:
            raise ConfigurationError(
                "no tenant is configured: write wlc.toml (see README, 'Configuration'), add one with 'wlc tenants "
                "add', or run 'wlc demo'"
            )
        raise ConfigurationError(f"several tenants are configured ({', '.join(names)}): pick one with --tenant")
    if chosen not in names:
        raise ConfigurationError(f"tenant {chosen!r} is not configured; known: {', '.join(names) or 'none'}")
    return chosen


def load_settings(config_file: Path | None = None) -> Settings:
    """Settings from ``config_file`` (default ``wlc.toml`` if present) overlaid by ``WLC_...`` variables."""
    path = config_file or DEFAULT_CONFIG_FILE
    if config_file is not None and not config_file.is_file():
        raise ConfigurationError(f"the configuration file {config_file} does not exist")

    class _FromFile(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=path)

    try:
        return _FromFile()
    except tomllib.TOMLDecodeError as problem:
        raise ConfigurationError(f"{path} is not valid TOML: {problem}") from None
    except ValidationError as problem:
        lines = "\n".join(f"  {line}" for line in explain(problem, Settings))
        raise ConfigurationError(
            f"the configuration ({path}, overlaid by WLC_ variables) is invalid:\n{lines}"
        ) from None
