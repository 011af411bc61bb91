"""Each tenant's alert thresholds and channels: the global ``[alerts]`` with what the tenant's own alert settings
name replacing them (``AlertSettings.under``), as the domain's ``AlertPolicy`` and the channels its notices go to.
Channels with the same settings are one channel object, shared by the tenants that use them; webhooks share one
HTTP client, closed by ``close``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import httpx

from app.settings import AlertSettings, EmailAlertSettings, Settings
from domain.alerts import AlertPolicy
from domain.ports.alert_channel import AlertChannel
from domain.runs import RunKind

_WEBHOOK_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


def alert_policy(settings: AlertSettings) -> AlertPolicy:
    stale = settings.stale_after_hours
    hours = {
        RunKind.MEMBERSHIP: stale.membership,
        RunKind.TRANSCRIPTS: stale.transcripts,
        RunKind.RECONCILE: stale.reconcile,
    }
    minutes = settings.outbox_older_than_minutes
    return AlertPolicy(
        {kind: timedelta(hours=h) for kind, h in hours.items() if h is not None},
        None if minutes is None else timedelta(minutes=minutes),
    )


class AlertRouting:
    """``policy_for(tenant)`` and ``channels_for(tenant)``, from the global alert settings and each tenant's own
    (None for a tenant unknown), both read at each call so that settings changed meanwhile are followed."""

    def __init__(
        self, global_alerts: Callable[[], AlertSettings], tenant_alerts: Callable[[str], AlertSettings | None]
    ) -> None:
        self._global = global_alerts
        self._tenant = tenant_alerts
        self._client: httpx.Client | None = None
        self._channels: dict[str, AlertChannel] = {}
        self._lock = threading.Lock()

    @staticmethod
    def of(settings: Settings) -> AlertRouting:
        """The routing of the configuration file's tenants."""
        return AlertRouting(
            lambda: settings.alerts,
            lambda name: settings.tenants[name].alerts if name in settings.tenants else None,
        )

    def _alerts_of(self, tenant: str) -> AlertSettings:
        own = self._tenant(tenant)
        return self._global() if own is None else self._global().under(own)

    def policy_for(self, tenant: str) -> AlertPolicy:
        return alert_policy(self._alerts_of(tenant))

    def channels_for(self, tenant: str) -> list[AlertChannel]:
        alerts = self._alerts_of(tenant)
        chosen: list[AlertChannel] = []
        if alerts.webhook_url is not None:
            chosen.append(self._webhook(alerts, tenant))
        if alerts.email is not None:
            chosen.append(self._email(alerts.email, tenant))
        return chosen

    def _name(self, kind: str, tenant: str, own: bool) -> str:
        """A channel of the tenant's own settings is named for it: the log tells its notices from the global's."""
        return f"{kind}:{tenant}" if own else kind

    def _own(self, tenant: str, field: str) -> bool:
        own = self._tenant(tenant)
        return own is not None and field in own.model_fields_set

    def _webhook(self, alerts: AlertSettings, tenant: str) -> AlertChannel:
        from adapters.alerts.webhook import WebhookChannel
        from adapters.tls import tls_context

        assert alerts.webhook_url is not None
        name = self._name("webhook", tenant, self._own(tenant, "webhook_url"))
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(timeout=_WEBHOOK_TIMEOUT, follow_redirects=False, verify=tls_context())
            key = f"{name}\n{alerts.webhook_url.get_secret_value()}"
            if key not in self._channels:
                self._channels[key] = WebhookChannel(alerts.webhook_url, self._client, name=name)
            return self._channels[key]

    def _email(self, email: EmailAlertSettings, tenant: str) -> AlertChannel:
        from adapters.alerts.email import SmtpChannel, SmtpRelay, SmtpSecurity

        name = self._name("email", tenant, self._own(tenant, "email"))
        relay = SmtpRelay(
            host=email.host,
            port=email.port,
            sender=email.sender,
            recipients=tuple(email.recipients),
            security=SmtpSecurity(email.security),
            username=email.username,
            password=email.password,
            timeout=email.timeout_seconds,
            ca_file=email.ca_file,
        )
        return SmtpChannel(relay, name=name)

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
            self._channels.clear()
        if client is not None:
            client.close()
