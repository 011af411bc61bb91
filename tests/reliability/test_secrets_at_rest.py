"""Secrets at rest, on SQLite and PostgreSQL: after tenants with known secrets are added through the CLI, the
configuration file and the admin API, a dump of the ledger (every table, every column, read by reflection; on
SQLite also the files' bytes, write-ahead log included) holds none of them, in plain text, hex or base64; a
wrong, malformed or missing key is refused with an error naming the setting; ``wlc secrets rotate`` seals every
secret again with the new key, after which the old key opens none."""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import pytest
from cryptography.fernet import Fernet, InvalidToken
from fastapi.testclient import TestClient
from pydantic import BaseModel, SecretStr
from sqlalchemy import Engine, MetaData, select
from typer.testing import CliRunner

from adapters.storage import create_engine_for
from adapters.storage.refresh_tokens import SqlRefreshTokenKeeper
from adapters.storage.schema import metadata as ledger_schema
from app.application import Application, build_application
from app.cli.main import cli
from app.errors import ExitCode
from app.http import create_app
from app.http.services import api_dependencies
from app.settings import TenantSettings
from tests.contract.storage_fixtures import postgres_url_in_own_schema, postgres_url_or_skip

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
runner = CliRunner(env={"COLUMNS": "400"})


def secret_paths(model: type[BaseModel] = TenantSettings, prefix: str = "") -> list[str]:
    """Every secret setting of a tenant, by dotted path, found in the settings' types: a secret added later is
    covered without a change here."""
    found: list[str] = []
    for name, info in model.model_fields.items():
        kinds = get_args(info.annotation) if get_origin(info.annotation) in (Union, UnionType) else (info.annotation,)
        for kind in kinds:
            if kind is SecretStr:
                found.append(f"{prefix}{name}")
            elif isinstance(kind, type) and issubclass(kind, BaseModel):
                found.extend(secret_paths(kind, f"{prefix}{name}."))
    return found


SECRET_PATHS = secret_paths()


@dataclass
class Secrets:
    """Every secret value given to the ledger, each unique and marked, and where it went."""

    plain: dict[tuple[str, str], str] = field(default_factory=dict)
    """The latest value of each tenant's secret, by (tenant, dotted path)."""
    others: list[str] = field(default_factory=list)
    """Values replaced since, API keys, rotated refresh tokens."""

    def new(self, tenant: str, path: str) -> str:
        token = f"plain{secrets.token_hex(12)}"
        if (tenant, path) in self.plain:
            self.others.append(self.plain[(tenant, path)])
        self.plain[(tenant, path)] = token
        return f"https://hooks.example.com/services/{token}" if path.endswith("url") else token

    @property
    def every(self) -> list[str]:
        return [*self.plain.values(), *self.others]


def tenant_data(name: str, given: Secrets) -> dict[str, Any]:
    """A tenant's settings (the shape of a ``[tenants.NAME]`` table) with every secret set to a new value."""
    data: dict[str, Any] = {
        "host": f"https://{name}.workday.example",
        "tenant": name,
        "timezone": "UTC",
        "raas": {"url": f"https://{name}.workday.example/ccx/service/customreport2/{name}/ISU/Workers"},
        "lumiq": {"base_url": "https://lumiq.example/"},
        "oauth": {"client_id": f"{name}-client-id"},
        "isu": {"username": f"isu-{name}"},
        "alerts": {
            "email": {"host": "smtp.example.com", "sender": "wlc@example.com", "recipients": ["ops@example.com"]}
        },
    }
    for path in SECRET_PATHS:
        *parents, last = path.split(".")
        table = data
        for part in parents:
            table = table.setdefault(part, {})
        table[last] = given.new(name, path)
    return data


def toml_tables(prefix: str, data: dict[str, Any]) -> str:
    """``data`` as TOML tables under ``prefix`` (strings and lists of strings, written as JSON, are TOML too)."""
    scalars = {key: value for key, value in data.items() if not isinstance(value, dict)}
    lines = [f"[{prefix}]", *(f"{key} = {json.dumps(value)}" for key, value in scalars.items()), ""]
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(toml_tables(f"{prefix}.{key}", value))
    return "\n".join(lines)


@dataclass(frozen=True)
class Ledger:
    url: str
    sqlite_file: Path | None
    """The SQLite ledger's file; None on PostgreSQL."""

    def raw_bytes(self) -> tuple[set[str], bytes]:
        """The names and bytes of the SQLite ledger's files (its -wal and -shm too)."""
        assert self.sqlite_file is not None
        files = sorted(self.sqlite_file.parent.glob(f"{self.sqlite_file.name}*"))
        return {path.name for path in files}, b"".join(path.read_bytes() for path in files)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    if request.param == "sqlite":
        path = tmp_path / "ledger" / "wlc.sqlite3"
        yield Ledger(f"sqlite:///{path}", path)
        return
    with postgres_url_in_own_schema(postgres_url_or_skip()) as url:
        yield Ledger(url, None)


def dump(engine: Engine) -> tuple[set[str], str]:
    """Every row of every table the database holds, read by reflection (not by the code's own schema), as text:
    what a ``SELECT *`` of each table would show."""
    reflected = MetaData()
    reflected.reflect(engine)
    with engine.connect() as connection:
        rows = [
            f"{table.name}: {json.dumps(list(row), default=str)}"
            for table in reflected.sorted_tables
            for row in connection.execute(select(table))
        ]
    return set(reflected.tables), "\n".join(rows)


def forms(secret: str) -> list[bytes]:
    plain = secret.encode()
    return [plain, plain.hex().encode(), base64.b64encode(plain), base64.urlsafe_b64encode(plain)]


def assert_holds_none(text: bytes, given: Secrets, where: str) -> None:
    for secret in given.every:
        for form in forms(secret):
            assert form not in text, f"{where} holds a secret ({form!r})"


class Deployment:
    """A ``wlc.toml`` naming the ledger and one tenant, the CLI on it, and the admin API of a process built from
    the same file."""

    def __init__(self, ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.ledger = ledger
        self.tmp_path = tmp_path
        self.monkeypatch = monkeypatch
        self.given = Secrets()
        self.key = Fernet.generate_key().decode()
        self.config = tmp_path / "wlc.toml"
        acme = tenant_data("acme", self.given)
        self.config.write_text(f'ledger_url = "{ledger.url}"\n\n' + toml_tables("tenants.acme", acme), "utf-8")

    def wlc(self, *args: str, keys: str | None = None, env: dict[str, str] | None = None) -> tuple[int, str]:
        """``wlc`` with the keys ``keys`` (or the key settings of ``env``) alone: None unsets a variable."""
        variables: dict[str, str | None] = {"WLC_SECRET_KEYS": keys, "WLC_SECRET_KEY_FILE": None, **(env or {})}
        result = runner.invoke(cli, ["--config", str(self.config), *args], env=variables)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result.exit_code, result.output

    def application(self, keys: str | None) -> Application:
        if keys is None:
            self.monkeypatch.delenv("WLC_SECRET_KEYS", raising=False)
        else:
            self.monkeypatch.setenv("WLC_SECRET_KEYS", keys)
        return build_application(self.config)

    def fill(self) -> Application:
        """Tenants through every door, each secret known: acme from the file (a secret then changed with ``--set``),
        globex with ``wlc tenants add --file``, initech through the admin API (a secret then changed with a
        PATCH); API keys; a refresh token Workday rotated. Returns the API's application, still open."""
        code, output = self.wlc("tenants", "list", keys=self.key)  # imports the file's tenant
        assert code == ExitCode.DONE, output
        globex = self.tmp_path / "globex.json"
        globex.write_text(json.dumps(tenant_data("globex", self.given)), "utf-8")
        code, output = self.wlc("tenants", "add", "globex", "--file", str(globex), keys=self.key)
        assert code == ExitCode.DONE, output
        changed = f"oauth.client_secret={self.given.new('acme', 'oauth.client_secret')}"
        code, output = self.wlc("tenants", "edit", "acme", "--set", changed, keys=self.key)
        assert code == ExitCode.DONE, output

        application = self.application(self.key)
        keys = application.api_keys()
        _, admin_key = keys.create([], NOW, admin=True)
        _, tenant_key = keys.create(["acme"], NOW)
        self.given.others.extend([admin_key, tenant_key])
        client = TestClient(create_app(api_dependencies(application)))
        admin = {"Authorization": f"Bearer {admin_key}"}
        added = client.post(
            "/admin/tenants", json={"name": "initech", "settings": tenant_data("initech", self.given)}, headers=admin
        )
        assert added.status_code == 201, added.text
        patch = {"lumiq": {"api_key": self.given.new("initech", "lumiq.api_key")}}
        changed_by_api = client.patch("/admin/tenants/initech", json=patch, headers=admin)
        assert changed_by_api.status_code == 200, changed_by_api.text

        rotated = f"plain{secrets.token_hex(12)}"
        configured = SecretStr(self.given.plain[("acme", "oauth.refresh_token")])
        SqlRefreshTokenKeeper(application.ledger_engine(), "acme", configured, application.secrets()).keep(
            SecretStr(rotated)
        )
        self.given.others.append(rotated)
        for response in (added, changed_by_api):
            assert_holds_none(response.content, self.given, "an admin API answer")
        return application


@pytest.fixture
def deployment(ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Deployment:
    return Deployment(ledger, tmp_path, monkeypatch)


def sealed_values(engine: Engine) -> dict[tuple[str, str], str]:
    """Every sealed value the ledger holds: each tenant's secrets, and the refresh tokens kept."""
    tables = MetaData()
    tables.reflect(engine, only=["tenants", "oauth_refresh_tokens"])
    tenants, tokens = tables.tables["tenants"], tables.tables["oauth_refresh_tokens"]
    with engine.connect() as connection:
        found = {
            (row.name, path): sealed
            for row in connection.execute(select(tenants.c.name, tenants.c.secrets))
            for path, sealed in (row.secrets if isinstance(row.secrets, dict) else json.loads(row.secrets)).items()
        }
        for row in connection.execute(select(tokens.c.tenant, tokens.c.token)):
            found[(row.tenant, "refresh token kept")] = row.token
    return found


def test_a_dump_of_the_ledger_holds_no_secret(deployment: Deployment) -> None:
    application = deployment.fill()
    engine = application.ledger_engine()

    tables, text = dump(engine)

    assert set(ledger_schema.tables) <= tables, "the dump reads every table the connector writes"
    for known in ("acme-client-id", "globex.workday.example", "isu-initech"):  # settings are there, in the clear
        assert known in text
    sealed = sealed_values(engine)
    assert {path for tenant, path in sealed if tenant == "initech"} == set(SECRET_PATHS)
    assert len(sealed) == 3 * len(SECRET_PATHS) + 1
    assert_holds_none(text.encode(), deployment.given, "the ledger's tables")
    if deployment.ledger.sqlite_file is not None:
        names, stored = deployment.ledger.raw_bytes()
        assert "wlc.sqlite3-wal" in names, names  # read while the API's connections are open: the log is there
        assert b"acme-client-id" in stored
        assert_holds_none(stored, deployment.given, f"the ledger's files {sorted(names)}")
    engine.dispose()


def test_rotation_seals_every_secret_anew_and_the_old_key_then_opens_none(deployment: Deployment) -> None:
    deployment.fill().ledger_engine().dispose()
    engine = create_engine_for(deployment.ledger.url)
    before = sealed_values(engine)
    old, new = deployment.key, deployment.wlc("secrets", "new-key")[1].strip()

    code, output = deployment.wlc("secrets", "rotate", keys=f"{new},{old}")

    assert code == ExitCode.DONE, output
    assert f"{len(before) - 1} tenant secrets and 1 refresh tokens" in output
    after = sealed_values(engine)
    assert after.keys() == before.keys()
    expected = {**deployment.given.plain, ("acme", "refresh token kept"): deployment.given.others[-1]}
    for where, sealed in after.items():
        assert sealed != before[where], where
        opened = Fernet(new.encode()).decrypt(sealed.encode()).decode()
        assert where[1] == "refresh token kept" or opened.endswith(expected[where]), where
        with pytest.raises(InvalidToken):
            Fernet(old.encode()).decrypt(sealed.encode())
    assert_holds_none(dump(engine)[1].encode(), deployment.given, "the rotated ledger")

    code, refused = deployment.wlc("secrets", "rotate", keys=old)
    assert code == ExitCode.USAGE, refused
    assert "cannot be decrypted with the keys of WLC_SECRET_KEYS (setting secret_keys)" in refused
    assert deployment.wlc("secrets", "rotate", keys=new)[0] == ExitCode.DONE
    engine.dispose()


def test_a_wrong_malformed_or_missing_key_is_refused_naming_the_setting(deployment: Deployment) -> None:
    deployment.fill().ledger_engine().dispose()
    other_key_file = deployment.tmp_path / "other.key"
    other_key_file.write_text(Fernet.generate_key().decode() + "\n", "utf-8")
    edit = ("tenants", "edit", "acme", "--set", "learning.rate_limit=8")
    wrong = Fernet.generate_key().decode()
    shown = re.escape(str(other_key_file))
    cases: dict[str, tuple[dict[str, str], str]] = {
        "a wrong key": (
            {"WLC_SECRET_KEYS": wrong},
            r"tenant [a-z]+'s [a-z_.]+ cannot be decrypted with the keys of WLC_SECRET_KEYS \(setting secret_keys\)",
        ),
        "a malformed key": (
            {"WLC_SECRET_KEYS": "not-a-fernet-key"},
            r"WLC_SECRET_KEYS \(setting secret_keys\): key 1 is not a Fernet key",
        ),
        "an empty list of keys": ({"WLC_SECRET_KEYS": " , "}, r"WLC_SECRET_KEYS \(setting secret_keys\) holds no key"),
        "a wrong key file": (
            {"WLC_SECRET_KEY_FILE": str(other_key_file)},
            rf"cannot be decrypted with the keys of the key file {shown} \(setting secret_key_file\)",
        ),
        "a key file that is not there": (
            {"WLC_SECRET_KEY_FILE": str(deployment.tmp_path / "gone.key")},
            r"gone.key \(setting secret_key_file\) does not exist",
        ),
        "no key": (
            {},
            r"WLC_SECRET_KEYS \(setting secret_keys\) or secret_key_file"
            if deployment.ledger.sqlite_file is None
            else r"wlc-secret.key \(default of setting secret_key_file, beside the ledger\) is missing, and the "
            r"ledger holds secrets it encrypted",
        ),
    }
    for what, (env, message) in cases.items():
        for command in (edit, ("secrets", "rotate")):
            code, output = deployment.wlc(*command, env=env)
            assert code == ExitCode.USAGE, f"{what}, {command}: {output}"
            assert re.search(message, " ".join(output.split())), f"{what}, {command}: {output}"
            assert "Traceback" not in output
            assert_holds_none(output.encode(), deployment.given, f"the error for {what}")
            assert deployment.key not in output
            assert wrong not in output

    application = deployment.application(wrong)
    client = TestClient(create_app(api_dependencies(application)))
    _, tenant_key = application.api_keys().create(["acme"], NOW)
    _, admin_key = application.api_keys().create([], NOW, admin=True)
    served = client.get("/unified/lms/categories", headers={"Authorization": f"Bearer {tenant_key}"})
    changed = client.patch(
        "/admin/tenants/acme", json={"learning": {"rate_limit": 8}}, headers={"Authorization": f"Bearer {admin_key}"}
    )
    for response in (served, changed):
        assert response.status_code == 503, response.text
        assert "WLC_SECRET_KEYS (setting secret_keys)" in response.json()["message"]
        assert_holds_none(response.content, deployment.given, "the API's refusal")
    application.ledger_engine().dispose()
