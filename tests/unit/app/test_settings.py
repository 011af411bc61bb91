from datetime import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from app.errors import ConfigurationError
from app.settings import (
    EmailAlertSettings,
    GuardSettings,
    LearningSettings,
    LmsSettings,
    LumiqSettings,
    OAuthSettings,
    RaasSettings,
    TenantSettings,
    load_settings,
)
from app.settings_errors import explain

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


def invalid(tmp_path: Path, extra: str = "", replace: tuple[str, str] = ("", "")) -> str:
    """The message that loading the acme tenant's file with ``extra`` appended (and ``replace`` done) gives."""
    path = write(tmp_path, "acme")
    path.write_text(path.read_text(encoding="utf-8").replace(*replace) + extra, encoding="utf-8")
    with pytest.raises(ConfigurationError) as raised:
        load_settings(path)
    return str(raised.value)


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        (
            "[tenants.acme.learning]\nrate_limt = 5\n",
            "tenants.acme.learning.rate_limt: is not a setting; did you mean rate_limit?",
        ),
        ("[tenants.acme.learnin]\nrate_limit = 5\n", "tenants.acme.learnin: is not a setting; did you mean learning?"),
        ("[tenants.acme.guard]\nmax_removal_shares = 0.2\n", "did you mean max_removal_share?"),
        ("[tenants.acme.raas.columns]\nemploye_id = 'Employee'\n", "employe_id (did you mean employee_id?)"),
    ],
)
def test_a_mistyped_key_is_named_by_its_path_with_the_setting_it_was_meant_to_be(
    tmp_path: Path, extra: str, line: str
) -> None:
    assert line in invalid(tmp_path, extra)


def test_a_mistyped_top_level_key_is_named_with_the_setting_it_was_meant_to_be(tmp_path: Path) -> None:
    path = write(tmp_path, "acme", extra='ledgr_url = "sqlite:///x.sqlite3"\n')
    with pytest.raises(ConfigurationError, match="ledgr_url: is not a setting; did you mean ledger_url"):
        load_settings(path)


def test_a_mistyped_nested_environment_variable_is_named_with_the_setting_it_was_meant_to_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WLC_TENANTS__ACME__LEARNING__RATE_LIMT", "3")
    with pytest.raises(ConfigurationError, match=r"tenants\.acme\.learning\.rate_limt: .* did you mean rate_limit\?"):
        load_settings(write(tmp_path, "acme"))


def test_the_process_own_wlc_variables_are_not_settings_and_not_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WLC_SERVE_WORKERS", "2")
    monkeypatch.setenv("WLC_DELIVERY_PARENT", "1")
    assert load_settings(write(tmp_path, "acme")).tenant("acme")[0] == "acme"


@pytest.mark.parametrize(
    ("replace", "field"),
    [
        (('host = "https://', 'host = "'), "tenants.acme.host"),
        (('host = "https://', 'host = "http://'), "tenants.acme.host"),
        (('url = "https://', 'url = "http://'), "tenants.acme.raas.url"),
        (('base_url = "https://', 'base_url = "'), "tenants.acme.lumiq.base_url"),
    ],
)
def test_a_url_without_https_is_refused_at_load_naming_its_field(
    tmp_path: Path, replace: tuple[str, str], field: str
) -> None:
    message = invalid(tmp_path, replace=replace)
    assert f"{field}: " in message
    assert "https://" in message


def test_a_token_url_and_a_wsdl_url_need_https_too(tmp_path: Path) -> None:
    oauth = '[tenants.acme.oauth]\nclient_id = "c"\nclient_secret = "s"\nrefresh_token = "r"\n'
    message = invalid(tmp_path, oauth + 'token_url = "http://wd2.example/token"\n')
    assert "tenants.acme.oauth.token_url: 'http://wd2.example/token' is plain http" in message
    message = invalid(tmp_path, '[tenants.acme.learning]\nwsdl = "http://wd2.example/Learning?wsdl"\n')
    assert "tenants.acme.learning.wsdl: " in message


@pytest.mark.parametrize("loopback", ["http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:8765"])
def test_plain_http_is_accepted_for_a_loopback_host_where_the_sandbox_runs(tmp_path: Path, loopback: str) -> None:
    path = write(tmp_path, "acme")
    path.write_text(
        path.read_text(encoding="utf-8").replace("https://wd2-impl-services1.workday.com", loopback), encoding="utf-8"
    )
    assert load_settings(path).tenant("acme")[1].host == loopback


def test_a_host_with_a_path_is_refused(tmp_path: Path) -> None:
    message = invalid(tmp_path, replace=('workday.com"\ntenant', 'workday.com/ccx/service"\ntenant'))
    assert "tenants.acme.host: " in message
    assert "host alone" in message


def test_messages_carry_no_trace_of_the_validation_library(tmp_path: Path) -> None:
    message = invalid(
        tmp_path,
        "[tenants.acme.guard]\nmax_removal_share = 'a'\n[tenants.acme.learning]\nrate_limit = 0\nauth = 'x'\n",
        replace=('[tenants.acme.lumiq]\nbase_url = "https://lumiq.example/"', "[tenants.acme.lumiq]\nbase_url = 5"),
    )
    assert message.count("\n") == 4, message
    for internal in ("pydantic", "For further information", "input_type", "input_value", "type=", "Settings", "_From"):
        assert internal not in message


def test_a_table_given_as_a_value_or_left_out_is_named_as_a_table(tmp_path: Path) -> None:
    message = invalid(tmp_path, replace=("[tenants.acme.raas]\n", 'raas = "x"\n[tenants.acme.unused]\n'))
    assert "tenants.acme.raas: should be a table of settings, [tenants.acme.raas]" in message
    message = invalid(tmp_path, replace=("[tenants.acme.lumiq]", "[tenants.acme.lumiqq]"))
    assert "tenants.acme.lumiq: is required: add a [tenants.acme.lumiq] table" in message


def test_no_secret_is_quoted_even_under_a_mistyped_key(tmp_path: Path) -> None:
    oauth = '[tenants.acme.oauth]\nclient_id = "c"\nclient_secre = "s3cret-value"\nrefresh_token = 12345\n'
    message = invalid(tmp_path, oauth)
    assert "did you mean client_secret?" in message
    assert "tenants.acme.oauth.refresh_token: should be text in quotes" in message
    assert "s3cret-value" not in message
    assert "12345" not in message


_SECTIONS: list[type[BaseModel]] = [
    TenantSettings,
    RaasSettings,
    LumiqSettings,
    LearningSettings,
    LmsSettings,
    GuardSettings,
    OAuthSettings,
]


@given(st.sampled_from([(s, name) for s in _SECTIONS for name in s.model_fields]), st.data())
def test_a_setting_with_one_letter_dropped_is_recognised(
    section: tuple[type[BaseModel], str], data: st.DataObject
) -> None:
    model, name = section
    at = data.draw(st.integers(min_value=0, max_value=len(name) - 1))
    typo = name[:at] + name[at + 1 :]
    with pytest.raises(ValidationError) as raised:
        model.model_validate({typo: "x"})
    assert f"{typo}: is not a setting; did you mean {name}?" in explain(raised.value, model)


def test_a_tenants_schedules_are_read_and_a_bad_one_is_refused_naming_it() -> None:
    from app.settings import ScheduleSettings
    from domain.schedules import SyncKind, Weekday

    read = ScheduleSettings.model_validate(
        {"membership_daily_at": "07:30", "transcripts_every_minutes": 15, "reconcile_weekly": "Mon 02:00"}
    )

    assert read.schedule().reconcile_weekly == (Weekday.MON, time(2, 0))
    assert read.schedule().crons()[SyncKind.MEMBERSHIP] == "30 7 * * *"
    with pytest.raises(ValidationError, match="transcripts_every_minutes"):
        ScheduleSettings.model_validate({"transcripts_every_minutes": 45})
    with pytest.raises(ValidationError, match="such as 'sun 04:00'"):
        ScheduleSettings.model_validate({"reconcile_weekly": "someday"})


def test_the_request_budgets_go_to_the_ledger_unless_a_store_is_named(tmp_path: Path) -> None:
    assert load_settings(write(tmp_path, "acme")).budget_url is None
    named = write(tmp_path, "acme", extra='budget_url = "redis://127.0.0.1:6379/0"\n')
    assert load_settings(named).budget_url == "redis://127.0.0.1:6379/0"


def test_a_budget_store_that_is_neither_redis_nor_sql_is_refused_without_repeating_its_url(tmp_path: Path) -> None:
    path = write(tmp_path, "acme", extra='budget_url = "memcached://wlc:s3cr3t@cache:11211"\n')
    with pytest.raises(ConfigurationError, match=r"budget_url: .*is not a redis://") as raised:
        load_settings(path)
    assert "s3cr3t" not in str(raised.value)


ALERTS = """
[alerts]
webhook_url = "https://hooks.slack.example/services/T0/B0/global-secret"
outbox_older_than_minutes = 30
[alerts.stale_after_hours]
membership = 30
[alerts.email]
host = "smtp.provider.example"
sender = "wlc@provider.example"
recipients = ["ops@provider.example"]
username = "alerts"
password = "smtp-password"
"""


def test_a_tenants_alerts_replace_the_global_ones_they_name_and_keep_the_rest(tmp_path: Path) -> None:
    own = (
        '[tenants.globex.alerts]\nwebhook_url = "https://hooks.example/globex-secret"\noutbox_older_than_minutes = 5\n'
        "[tenants.globex.alerts.stale_after_hours]\ntranscripts = 2\n"
    )
    path = write(tmp_path, "acme", "globex")
    path.write_text(ALERTS + path.read_text(encoding="utf-8") + own, encoding="utf-8")

    settings = load_settings(path)

    acme, globex = (
        settings.alerts.under(settings.tenants["acme"].alerts),
        settings.alerts.under(settings.tenants["globex"].alerts),
    )
    assert acme == settings.alerts
    assert acme.stale_after_hours.membership == 30
    assert acme.stale_after_hours.transcripts == 6.0
    assert globex.webhook_url is not None
    assert globex.webhook_url.get_secret_value() == "https://hooks.example/globex-secret"
    assert globex.outbox_older_than_minutes == 5
    assert globex.email == acme.email
    assert (globex.stale_after_hours.membership, globex.stale_after_hours.transcripts) == (30, 2)
    assert "globex-secret" not in repr(settings)
    assert "smtp-password" not in repr(settings)


def test_a_webhook_that_is_not_https_is_refused_without_quoting_it(tmp_path: Path) -> None:
    message = invalid(tmp_path, '[alerts]\nwebhook_url = "http://hooks.example/secret-path"\n')

    assert "alerts.webhook_url" in message
    assert "must be https://" in message
    assert "secret-path" not in message


def test_mail_in_clear_is_refused_but_to_a_relay_on_this_host() -> None:
    with pytest.raises(ValidationError, match="in clear"):
        EmailAlertSettings(host="smtp.provider.example", security="none", sender="a@b.c", recipients=["o@p.q"])
    assert EmailAlertSettings(host="127.0.0.1", security="none", sender="a@b.c", recipients=["o@p.q"]).port == 587
