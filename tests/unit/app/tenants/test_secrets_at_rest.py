"""A ledger holds no secret in the clear: neither a SQLite ledger's bytes (WAL included) nor any text column of
a PostgreSQL ledger (every table read, as a dump would be, without pg_dump) has a tenant's client secret,
refresh token, ISU password, provider API key or a rotated refresh token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, text

from adapters.storage.refresh_tokens import SqlRefreshTokenKeeper
from app.application import Application
from app.errors import ConfigurationError
from app.sandbox_settings import sandbox_tenant
from app.settings import Settings
from app.tenants.secrets import new_key
from sandbox.config import SandboxConfig
from tests.contract.storage_fixtures import postgres_engine_in_own_schema, postgres_url_or_skip

CONFIG = SandboxConfig(
    client_secret="client-secret-0a1b2c3d4e5f",
    refresh_token="refresh-token-9f8e7d6c5b4a",
    isu_password="isu-password-1234567890ab",
    lumiq_api_key="lumiq-api-key-fedcba987654",
)
ROTATED = "rotated-refresh-token-13579bdf"
SECRETS = (CONFIG.client_secret, CONFIG.refresh_token, CONFIG.isu_password, CONFIG.lumiq_api_key, ROTATED)


def filled(ledger_url: str, secret_keys: str | None = None) -> Application:
    """An application whose ledger holds a tenant from the file, one from the admin, and a rotated token."""
    settings = Settings(
        ledger_url=ledger_url,
        secret_keys=SecretStr(secret_keys) if secret_keys else None,
        tenants={"acme": sandbox_tenant("https://acme.workday.example", CONFIG)},
    )
    application = Application(settings=settings)
    application.tenants()
    application.tenant_directory().add("globex", sandbox_tenant("https://globex.workday.example", CONFIG)).unwrap()
    SqlRefreshTokenKeeper(
        application.ledger_engine(), "acme", SecretStr(CONFIG.refresh_token), application.secrets()
    ).keep(SecretStr(ROTATED))
    assert application.tenants().settings("globex").lumiq.api_key.get_secret_value() == CONFIG.lumiq_api_key
    return application


def test_a_sqlite_ledgers_bytes_hold_no_secret(tmp_path: Path) -> None:
    filled(f"sqlite:///{tmp_path / 'ledger.sqlite3'}").ledger_engine().dispose()

    stored = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.name.startswith("ledger.sqlite3"))

    assert b"acme.workday.example" in stored  # the settings are there, in the clear
    for secret in SECRETS:
        assert secret.encode() not in stored, secret


@pytest.fixture
def postgres() -> Iterator[Engine]:
    with postgres_engine_in_own_schema(postgres_url_or_skip()) as engine:
        yield engine


@pytest.mark.postgres
def test_no_text_column_of_a_postgresql_ledger_holds_a_secret(postgres: Engine) -> None:
    filled(postgres.url.render_as_string(hide_password=False), secret_keys=new_key())
    columns = """
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'json', 'jsonb')
    """
    with postgres.connect() as connection:
        found = connection.execute(text(columns)).all()
        values = [
            str(value)
            for table, column in found
            # The names come from information_schema, not from input.
            for value in connection.execute(text(f'SELECT "{column}"::text FROM "{table}"')).scalars()  # noqa: S608
        ]

    assert {"tenants", "oauth_refresh_tokens"} <= {table for table, _ in found}
    assert any("acme.workday.example" in value for value in values)
    for secret in SECRETS:
        assert not any(secret in value for value in values), secret


@pytest.mark.postgres
def test_a_postgresql_ledger_without_a_key_is_refused_naming_the_setting(postgres: Engine) -> None:
    with pytest.raises(ConfigurationError, match=r"set WLC_SECRET_KEYS \(setting secret_keys\) or secret_key_file"):
        filled(postgres.url.render_as_string(hide_password=False))
