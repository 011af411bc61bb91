"""Each tenant's alert thresholds and channels, from ``[alerts]`` and ``[tenants.X.alerts]`` (``AlertRouting``)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import SecretStr

from app.alert_routing import AlertRouting
from app.settings import AlertSettings, EmailAlertSettings, Settings, StaleAfterSettings
from domain.alerts import AlertPolicy
from domain.runs import RunKind
from tests.unit.http.world import tenant_settings

EMAIL = EmailAlertSettings(host="127.0.0.1", security="none", sender="wlc@p.example", recipients=["ops@p.example"])


def routing() -> AlertRouting:
    globex_alerts = AlertSettings(
        webhook_url=SecretStr("https://hooks.example/globex"), stale_after_hours=StaleAfterSettings(transcripts=1)
    )
    settings = Settings(
        alerts=AlertSettings(
            webhook_url=SecretStr("https://hooks.example/all"),
            email=EMAIL,
            stale_after_hours=StaleAfterSettings(membership=30, transcripts=6),
        ),
        tenants={
            "acme": tenant_settings("acme"),
            "globex": tenant_settings("globex").model_copy(update={"alerts": globex_alerts}),
        },
    )
    return AlertRouting.of(settings)


def test_a_tenant_without_alert_settings_has_the_global_channels_and_thresholds() -> None:
    chosen = routing()

    assert [c.name for c in chosen.channels_for("acme")] == ["webhook", "email"]
    assert chosen.policy_for("acme") == AlertPolicy(
        {RunKind.MEMBERSHIP: timedelta(hours=30), RunKind.TRANSCRIPTS: timedelta(hours=6)}, timedelta(minutes=60)
    )


def test_a_tenants_own_webhook_and_thresholds_replace_the_global_ones_and_are_named_for_it() -> None:
    chosen = routing()

    assert [c.name for c in chosen.channels_for("globex")] == ["webhook:globex", "email"]
    assert chosen.policy_for("globex").stale_after == {
        RunKind.MEMBERSHIP: timedelta(hours=30),
        RunKind.TRANSCRIPTS: timedelta(hours=1),
    }
    chosen.close()


def test_tenants_sharing_a_channel_share_one_channel() -> None:
    chosen = routing()
    first, again = chosen.channels_for("acme")[0], chosen.channels_for("acme")[0]

    assert first is again
    chosen.close()
