"""``wlc content upsert``, ``wlc completions push`` and ``wlc transcripts sync`` end to end against a sandbox
playing each WSDL variant: every command ends with per-item results and an exit code, never a traceback; what a
tenant's WSDL names otherwise works; what it lacks is left out (optional) or fails each item needing it, named
(required)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
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
