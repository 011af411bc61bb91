"""Settings that point the connector at a running Workday sandbox, as a customer's point at their tenant."""

from __future__ import annotations

from pydantic import SecretStr

from app.settings import (
    IsuSettings,
    LearningSettings,
    LumiqSettings,
    OAuthSettings,
    RaasSettings,
    Settings,
    TenantSettings,
)
from sandbox.config import SandboxConfig

LEARNING_VERSION = "v44.2"


def sandbox_tenant(base_url: str, config: SandboxConfig) -> TenantSettings:
    report = f"{base_url}/ccx/service/customreport2/{config.tenant}/{config.report_owner}/{config.report_name}"
    return TenantSettings(
        host=base_url,
        tenant=config.tenant,
        timezone=config.timezone,
        raas=RaasSettings(url=report, format="json", auth="oauth", columns=dict(config.column_aliases)),
        lumiq=LumiqSettings(base_url=f"{base_url}/lumiq", api_key=SecretStr(config.lumiq_api_key)),
        oauth=OAuthSettings(
            client_id=config.client_id,
            client_secret=SecretStr(config.client_secret),
            refresh_token=SecretStr(config.refresh_token),
        ),
        isu=IsuSettings(username=config.isu_username, password=SecretStr(config.isu_password)),
        learning=LearningSettings(version=LEARNING_VERSION, auth="oauth", rate_limit=_learning_rate(config)),
    )


def _learning_rate(config: SandboxConfig) -> int:
    """The sandbox's own limit, so the connector uses its budget in full and never goes over."""
    return config.soap_rate_limit or 1000


def sandbox_settings(base_url: str, config: SandboxConfig, ledger_url: str) -> Settings:
    return Settings(ledger_url=ledger_url, tenants={"sandbox": sandbox_tenant(base_url, config)})


def sandbox_toml(base_url: str, config: SandboxConfig, ledger_url: str) -> str:
    """A ``wlc.toml`` for the sandbox at ``base_url``: the same file a customer writes for their tenant."""
    tenant = sandbox_tenant(base_url, config)
    assert tenant.oauth is not None
    assert tenant.isu is not None
    return f"""\
ledger_url = "{ledger_url}"
default_tenant = "sandbox"

[tenants.sandbox]
host = "{tenant.host}"
tenant = "{tenant.tenant}"
timezone = "{tenant.timezone}"

[tenants.sandbox.raas]
url = "{tenant.raas.url}"
format = "json"
auth = "oauth"

[tenants.sandbox.oauth]
client_id = "{tenant.oauth.client_id}"
client_secret = "{config.client_secret}"
refresh_token = "{config.refresh_token}"

[tenants.sandbox.isu]
username = "{config.isu_username}"
password = "{config.isu_password}"

[tenants.sandbox.learning]
version = "{LEARNING_VERSION}"
auth = "oauth"
rate_limit = {_learning_rate(config)}

[tenants.sandbox.lumiq]
base_url = "{tenant.lumiq.base_url}"
api_key = "{config.lumiq_api_key}"
"""
