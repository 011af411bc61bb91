from pathlib import Path

import pytest

from app.errors import ConfigurationError
from app.settings import load_settings

TENANT = """
[tenants.{name}]
host = "https://wd2-impl-services1.workday.com"
tenant = "{name}"
timezone = "America/Toronto"
[tenants.{name}.raas]
url = "https://wd2-impl-services1.workday.com/ccx/service/customreport2/{name}/ISU/LumiQ_Workers"
[tenants.{name}.lumiq]
base_url = "https://lumiq.example/"
api_key = "key-{name}"
"""


def write(tmp_path: Path, *names: str, extra: str = "") -> Path:
    path = tmp_path / "wlc.toml"
    path.write_text(extra + "".join(TENANT.format(name=n) for n in names), encoding="utf-8")
    return path


def test_the_only_tenant_is_chosen_without_asking(tmp_path: Path) -> None:
    name, tenant = load_settings(write(tmp_path, "acme")).tenant(None)
    assert (name, tenant.tenant, tenant.token_url) == (
        "acme",
        "acme",
        "https://wd2-impl-services1.workday.com/ccx/oauth2/acme/token",
    )


def test_several_tenants_need_a_choice(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "acme", "globex"))
    with pytest.raises(ConfigurationError, match="--tenant"):
        settings.tenant(None)
    assert settings.tenant("globex")[1].lumiq.api_key.get_secret_value() == "key-globex"
    with pytest.raises(ConfigurationError, match="'initech' is not configured"):
        settings.tenant("initech")


def test_environment_variables_override_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WLC_LEDGER_URL", "sqlite:///elsewhere.sqlite3")
    monkeypatch.setenv("WLC_TENANTS__ACME__LUMIQ__API_KEY", "from-env")
    settings = load_settings(write(tmp_path, "acme"))
    assert settings.ledger_url == "sqlite:///elsewhere.sqlite3"
    assert settings.tenant("acme")[1].lumiq.api_key.get_secret_value() == "from-env"


def test_secrets_never_print(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "acme"))
    assert "key-acme" not in repr(settings)
    assert "key-acme" not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[tenants.acme.guard]\nmax_removal_share = 2.0\n", "max_removal_share"),
        ('[tenants.acme.raas.columns]\nworker = "Worker"\n', "unknown column worker"),
    ],
)
def test_an_invalid_setting_names_the_field(tmp_path: Path, extra: str, message: str) -> None:
    path = write(tmp_path, "acme")
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=message):
        load_settings(path)


def test_an_unknown_time_zone_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "acme")
    path.write_text(path.read_text(encoding="utf-8").replace("America/Toronto", "Mars/Olympus"), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="IANA time zone"):
        load_settings(path)
