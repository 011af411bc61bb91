"""Tenants' settings for properties: every secret set to text of its own, optional sections present or not."""

from __future__ import annotations

from datetime import UTC, datetime, time

from hypothesis import strategies as st
from pydantic import SecretStr

from adapters.fakes import FixedClock, InMemoryTenantStore
from app.settings import (
    IsuSettings,
    LearningSettings,
    LumiqSettings,
    OAuthSettings,
    RaasSettings,
    ScheduleSettings,
    TenantSettings,
)
from app.tenants.directory import TenantDirectory
from app.tenants.secrets import SecretBox, new_key

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
KEY = new_key()

secret_text = st.text(
    alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_!é", min_size=16, max_size=40
)


def box(*keys: str) -> SecretBox:
    chosen = list(keys or (KEY,))
    return SecretBox(lambda: (chosen, "WLC_SECRET_KEYS (setting secret_keys)"))


def directory(store: InMemoryTenantStore | None = None) -> TenantDirectory:
    return TenantDirectory(store or InMemoryTenantStore(), box(), FixedClock(NOW))


@st.composite
def tenant_settings(draw: st.DrawFn, name: str = "acme") -> TenantSettings:
    host = f"https://{name}.workday.example"
    oauth = draw(
        st.none()
        | st.builds(
            OAuthSettings,
            client_id=st.just("client"),
            client_secret=secret_text.map(SecretStr),
            refresh_token=secret_text.map(SecretStr),
            client_auth=st.sampled_from(["basic", "body"]),
        )
    )
    isu = draw(st.none() | st.builds(IsuSettings, username=st.just("ISU@acme"), password=secret_text.map(SecretStr)))
    schedules = draw(
        st.builds(
            ScheduleSettings,
            membership_daily_at=st.none() | st.times().map(lambda t: time(t.hour, t.minute)),
            transcripts_every_minutes=st.sampled_from([None, 5, 15, 60, 120]),
            reconcile_fix=st.booleans(),
            paused=st.lists(st.sampled_from(["membership", "transcripts", "reconcile"]), unique=True),
        )
    )
    extra = draw(st.fixed_dictionaries({}, optional={"schedules": st.just(schedules), "paused": st.booleans()}))
    extra |= {name: value for name, value in (("oauth", oauth), ("isu", isu)) if value is not None}
    return TenantSettings(
        host=host,
        tenant=name,
        timezone=draw(st.sampled_from(["UTC", "America/Toronto", "Europe/Paris"])),
        raas=RaasSettings(url=f"{host}/ccx/service/customreport2/{name}/ISU/Workers", auth="isu" if isu else "oauth"),
        lumiq=LumiqSettings(base_url="https://lumiq.example/", api_key=SecretStr(draw(secret_text))),
        learning=LearningSettings(rate_limit=draw(st.integers(1, 1000))),
        **extra,
    )


def secrets_of(settings: TenantSettings) -> list[str]:
    found = [settings.lumiq.api_key.get_secret_value()]
    if settings.oauth is not None:
        found += [settings.oauth.client_secret.get_secret_value(), settings.oauth.refresh_token.get_secret_value()]
    if settings.isu is not None:
        found.append(settings.isu.password.get_secret_value())
    return found
