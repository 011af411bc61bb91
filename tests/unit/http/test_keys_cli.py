from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from adapters.storage import create_engine_for
from adapters.storage.api_keys import SqlApiKeyStore
from app.cli.main import cli

TENANT = """
[tenants.{name}]
host = "https://wd.example.com"
tenant = "{name}"
raas = {{ url = "https://wd.example.com/report" }}
lumiq = {{ base_url = "https://lumiq.example.com", api_key = "k" }}
"""


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "wlc.toml"
    ledger = tmp_path / "ledger.sqlite3"
    config.write_text(
        f'ledger_url = "sqlite:///{ledger}"\n' + TENANT.format(name="acme") + TENANT.format(name="globex")
    )
    return config


def test_a_key_is_printed_once_listed_without_its_secret_and_revoked(tmp_path: Path) -> None:
    config = _config(tmp_path)
    runner = CliRunner()

    created = runner.invoke(cli, ["--config", str(config), "keys", "create", "--account", "acme", "--expires", "30"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[-1]
    store = SqlApiKeyStore(create_engine_for(f"sqlite:///{tmp_path / 'ledger.sqlite3'}"))
    record = store.verify(key, datetime.now(UTC))
    assert record is not None
    assert record.tenants == ("acme",)
    assert record.expires_at is not None

    listed = runner.invoke(cli, ["--config", str(config), "keys", "list"])
    assert record.id in listed.stdout
    assert key.split("_", 2)[2] not in listed.stdout

    revoked = runner.invoke(cli, ["--config", str(config), "keys", "revoke", record.id])
    assert revoked.exit_code == 0, revoked.output
    assert store.verify(key, datetime.now(UTC)) is None


def test_a_key_for_an_account_not_configured_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(_config(tmp_path)), "keys", "create", "--account", "initech"])

    assert result.exit_code == 2
    assert "initech" in result.output
