"""``wlc content upsert``, ``wlc completions push`` and ``wlc transcripts sync`` end to end against a sandbox
playing each WSDL variant: every command ends with per-item results and an exit code, never a traceback; what a
tenant's WSDL names otherwise works; what it lacks is left out (optional) or fails each item needing it, named
(required). ``wlc workday check`` says so beforehand: each feature OK, degraded or unavailable, naming the
missing piece, and an exit code."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.errors import ExitCode
from app.sandbox_settings import sandbox_toml
from sandbox.config import SandboxConfig
from sandbox.population import worker_at
from sandbox.server import SandboxServer
from sandbox.workday.wsdl_variants import VARIANTS

runner = CliRunner()


SENT = (ExitCode.SOME_FAILED, ("records delivered", "1 rejected by Workday", "0 to retry"))
"""A sync where everything goes: the population's one completion by an unknown learner is refused by Workday."""


@dataclass(frozen=True)
class Expected:
    """What each command ends with on a variant: its exit code and words its output must hold."""

    upsert: tuple[ExitCode, tuple[str, ...]] = (ExitCode.DONE, ("created",))
    push: tuple[ExitCode, tuple[str, ...]] = (ExitCode.DONE, ("Completion recorded",))
    sync: tuple[ExitCode, tuple[str, ...]] = SENT


EXPECTED = {
    "sourced": Expected(),
    "no-optional-course-elements": Expected(
        upsert=(ExitCode.DONE, ("languages left out", "requires_enrollment left out", "Language_Reference"))
    ),
    "other-element-names": Expected(),
    "other-id-types": Expected(),
    "unknown-id-type": Expected(
        sync=(
            ExitCode.SOME_FAILED,
            ("0 records delivered", "will be retried", "transcripts is unavailable", "Imported_Learning_Content_Key"),
        )
    ),
    "plural-request-elements": Expected(),
    "no-learner-criterion": Expected(),
    "required-names-missing": Expected(
        push=(ExitCode.SOME_FAILED, ("is unavailable on this tenant", "Learning_Enrollment_Completion_Date")),
        sync=(
            ExitCode.SOME_FAILED,
            ("0 records delivered", "will be retried", "no operation Put_Learning_Imported_Record"),
        ),
    ),
    "no-talent-skills": Expected(upsert=(ExitCode.SOME_FAILED, ("created", "skills is unavailable", "Get_Skills"))),
}


@dataclass(frozen=True)
class Checked:
    """What ``wlc workday check`` says of a variant: its exit code, words its table must hold, and each feature
    that is not OK with its result."""

    code: ExitCode = ExitCode.DONE
    words: tuple[str, ...] = ()
    features: dict[str, str] = field(default_factory=dict)


CHECKED = {
    "sourced": Checked(),
    "no-optional-course-elements": Checked(
        ExitCode.SOME_FAILED,
        ("content upsert degraded languages left out", "Language_Reference or User_Language_Reference"),
        {"content upsert": "degraded"},
    ),
    "other-element-names": Checked(
        words=("Language_Reference as User_Language_Reference", "Requires_Enrollment as Enrollment_Required")
    ),
    "other-id-types": Checked(
        words=("Learning_Imported_Content_ID as Learning_Imported_Content", "Learning_Grade on imported records")
    ),
    "unknown-id-type": Checked(
        ExitCode.SOME_FAILED,
        ("transcripts unavailable", "Imported_Learning_Content_Key"),
        {"transcripts": "unavailable"},
    ),
    "plural-request-elements": Checked(
        words=("Put_Learning_Imported_Content_Request as Put_Learning_Imported_Contents_Request",)
    ),
    "no-learner-criterion": Checked(
        ExitCode.SOME_FAILED,
        ("completion push degraded", "no Learner_Reference in Request_Criteria"),
        {"completion push": "degraded", "reconcile": "degraded"},
    ),
    "required-names-missing": Checked(
        ExitCode.SOME_FAILED,
        ("no operation Put_Learning_Imported_Record", "no Learning_Enrollment_Completion_Date"),
        {"transcripts": "unavailable", "completion push": "unavailable", "reconcile": "unavailable"},
    ),
    "no-talent-skills": Checked(
        ExitCode.SOME_FAILED,
        ("skills unavailable", "no operation Get_Skills", "items that need skills fail"),
        {"content upsert": "degraded", "skills": "unavailable"},
    ),
}


@dataclass
class Tenant:
    sandbox: SandboxServer
    config: Path
    folder: Path


@pytest.fixture(scope="module", params=list(VARIANTS))
def tenant(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tenant]:
    config = SandboxConfig(workers=30, seed=4, completions=12, soap_rate_limit=None, wsdl_variant=request.param)
    with SandboxServer(config) as server:
        folder = tmp_path_factory.mktemp(request.param)
        path = folder / "wlc.toml"
        path.write_text(sandbox_toml(server.base_url, server.config, f"sqlite:///{folder / 'l.db'}"), "utf-8")
        yield Tenant(server, path, folder)


def test_the_three_commands_end_with_per_item_results_and_exit_codes_never_a_traceback(tenant: Tenant) -> None:
    expected = EXPECTED[tenant.sandbox.config.wsdl_variant]

    upserted = wlc(tenant, "content", "upsert", str(_items(tenant)))
    pushed = wlc(
        tenant, "completions", "push", worker_at(tenant.sandbox.config, 0).employee_id, str(_completion(tenant))
    )
    synced = wlc(tenant, "transcripts", "sync")

    for (code, output), (expected_code, words) in zip(
        (upserted, pushed, synced), (expected.upsert, expected.push, expected.sync), strict=True
    ):
        assert code == expected_code, output
        for word in words:
            assert word in output, output
    assert "ADV-1" in upserted[1]
    assert "ADV-2" in upserted[1]
    assert [c.course_id for c in tenant.sandbox.learning.courses()].count("ADV-2") == 1


def test_wlc_workday_check_names_what_the_tenants_wsdl_lacks_with_its_exit_code(tenant: Tenant) -> None:
    expected = CHECKED[tenant.sandbox.config.wsdl_variant]

    code, output = wlc(tenant, "workday", "check")

    assert code == expected.code, output
    for word in expected.words:
        assert word in output, output
    worst = "unavailable" if "unavailable" in expected.features.values() else "degraded" if expected.features else "OK"
    assert f"Result: {worst}" in output


def test_wlc_workday_check_as_json_gives_each_feature_and_names_each_missing_piece(tenant: Tenant) -> None:
    expected = CHECKED[tenant.sandbox.config.wsdl_variant]

    result = runner.invoke(cli, ["--config", str(tenant.config), "workday", "check", "--json"])
    checked = json.loads(result.output)

    assert result.exit_code == checked["exit_code"] == expected.code
    features = {c["name"]: c for c in checked["checks"] if c["kind"] == "feature"}
    assert {name: c["result"] for name, c in features.items() if c["result"] != "OK"} == expected.features
    for name, feature in features.items():
        gaps = feature["missing"] if feature["result"] == "unavailable" else feature["left_out"]
        assert bool(gaps) == (name in expected.features)
        assert all(gap["path"] and gap["why"] and gap["what"] for gap in gaps)
    assert {c["name"]: c["result"] for c in checked["checks"] if c["kind"] != "feature"} == {
        "OAuth": "OK",
        "report": "OK",
        "Learning": "OK",
        "Talent": "OK",
    }


def test_content_show_reads_languages_and_the_enrollment_flag_under_the_tenants_names(tenant: Tenant) -> None:
    variant = tenant.sandbox.config.wsdl_variant
    item = {
        "title": "Shown",
        "external_reference": "SHOW-1",
        "content_url": "https://provider.example.com/show",
        "description": "A course.",
        "categories": [{"name": "Sales"}],
        "languages": [{"value": "en_GB"}],
    }
    path = tenant.folder / "shown.json"
    path.write_text(json.dumps(item), "utf-8")
    assert wlc(tenant, "content", "upsert", str(path))[0] == ExitCode.DONE

    result = runner.invoke(cli, ["--config", str(tenant.config), "content", "show", "SHOW-1", "--json"])
    shown = json.loads(result.output)

    if variant == "no-optional-course-elements":
        assert shown["languages"] == []
        assert shown["requires_enrollment"] is None
        assert shown["not_read"] == [
            {
                "field": "requires_enrollment",
                "reason": "the Learning WSDL v44.2 has no Requires_Enrollment or Enrollment_Required in "
                "Learning_Digital_Course_Data",
            }
        ]
    else:
        assert [language["id"] for language in shown["languages"]] == ["en_GB"]
        assert shown["requires_enrollment"] is True
        assert shown["not_read"] == []


def wlc(tenant: Tenant, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--config", str(tenant.config), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    output = " ".join(result.output.replace("│", " ").split())  # a table's cells, joined
    assert "Traceback" not in output
    return result.exit_code, output


def _items(tenant: Tenant) -> Path:
    common = {
        "description": "A course.",
        "categories": [{"name": "Sales"}],
        "languages": [{"value": "en_GB"}],
        "duration": "PT30M",
    }
    items = [
        {
            **common,
            "title": "With skills",
            "external_reference": "ADV-1",
            "content_url": "https://provider.example.com/1",
            "skills": [{"name": "Sales Techniques"}],
        },
        {
            **common,
            "title": "Without skills",
            "external_reference": "ADV-2",
            "content_url": "https://provider.example.com/2",
        },
    ]
    path = tenant.folder / "content.json"
    path.write_text(json.dumps(items), "utf-8")
    return path


def _completion(tenant: Tenant) -> Path:
    path = tenant.folder / "completion.json"
    path.write_text(
        json.dumps(
            {
                "learning_object_external_reference": "ADV-2",
                "result": {"value": "Pass"},
                "completed_at": "2025-01-15T14:45:30.000Z",
                "score": {"value": 90},
            }
        ),
        "utf-8",
    )
    return path


def test_the_sandbox_refuses_an_unknown_wsdl_variant_naming_the_known_ones() -> None:
    result = runner.invoke(cli, ["sandbox", "serve", "--wsdl-variant", "nonsense"])

    assert result.exit_code == ExitCode.USAGE
    assert "'nonsense' is not one of sourced, no-optional-course-elements" in " ".join(result.output.split())
