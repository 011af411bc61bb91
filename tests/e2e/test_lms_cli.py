"""``wlc content``, ``wlc categories`` and ``wlc completions`` end to end against the sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.errors import ExitCode
from app.sandbox_settings import sandbox_toml
from domain.learning_content import DESCRIPTION_MAX
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer
from tests.seed_payloads import SEED_CONTENT_AS_PRINTED

runner = CliRunner()


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(workers=50, completions=5, soap_rate_limit=None)) as server:
        yield server


@pytest.fixture
def config(sandbox: SandboxServer, tmp_path: Path) -> Path:
    path = tmp_path / "wlc.toml"
    path.write_text(sandbox_toml(sandbox.base_url, sandbox.config, f"sqlite:///{tmp_path / 'l.db'}"), "utf-8")
    return path


def item(sandbox: SandboxServer, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "title": "Advanced Sales Techniques",
        "external_reference": "ADV-SALES-001",
        "description": "A comprehensive course covering <b>modern</b> B2B sales strategies.",
        "languages": [{"value": "en_GB"}, {"value": "fr_FR"}],
        "content_url": "https://provider.example.com/courses/adv-sales-001",
        "cover_url": sandbox.image_url("adv-sales-001.jpg"),
        "active": True,
        "duration": "PT1H30M45S",
        "skills": [{"name": "Sales Techniques"}, {"name": "Customer Engagement"}],
        "order": 1,
        "categories": [{"name": "Sales"}, {"name": "Technology"}],
    }
    body.update(changes)
    return body


def wlc(config: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--config", str(config), *args])
    return result.exit_code, result.output


def test_upserts_a_list_with_per_item_results_and_one_bad_item_stops_nothing(
    config: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    payload = tmp_path / "content.json"
    good, unknown_topic = (
        item(sandbox),
        item(sandbox, external_reference="X-2", title="Other", categories=[{"name": "Salez"}]),
    )
    payload.write_text(json.dumps([good, unknown_topic]), "utf-8")
    code, output = wlc(config, "content", "upsert", str(payload))
    assert code == ExitCode.SOME_FAILED
    assert "created" in output
    assert "Salez" in output
    assert [c.course_id for c in sandbox.learning.courses()] == ["ADV-SALES-001"]
    code, output = wlc(config, "content", "upsert", str(payload))
    assert "updated" in output
    assert len(sandbox.learning.courses()) == 1


def test_lists_the_categories(config: Path) -> None:
    code, output = wlc(config, "categories", "list")
    assert code == ExitCode.DONE
    assert "TOPIC_SALES" in output


def test_a_pushed_completion_updates_the_enrollment_workday_made_on_launch_and_can_be_deleted(
    config: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    payload = tmp_path / "content.json"
    payload.write_text(json.dumps(item(sandbox, cover_url=None)), "utf-8")
    assert wlc(config, "content", "upsert", str(payload))[0] == ExitCode.DONE
    sandbox.enrollments.launch("100001", "ADV-SALES-001")
    completion = tmp_path / "completion.json"
    completion.write_text(
        json.dumps(
            {
                "learning_object_external_reference": "ADV-SALES-001",
                "result": {"value": "Pass"},
                "completed_at": "2025-01-15T14:45:30.000Z",
                "time_spent": "PT45M",
                "score": {"value": 100, "raw_value": "A+"},
            }
        ),
        "utf-8",
    )
    code, output = wlc(config, "completions", "push", "100001", str(completion))
    assert code == ExitCode.DONE, output
    enrollments = sandbox.enrollments.enrollments_of("100001", "ADV-SALES-001")
    assert len(enrollments) == 1
    assert enrollments[0].created_on_launch
    code, output = wlc(config, "completions", "delete", "100001", enrollments[0].wid)
    assert code == ExitCode.DONE, output
    assert sandbox.enrollments.enrollments_of("100001", "ADV-SALES-001")[0].rescinded


def test_a_payload_file_that_is_not_json_is_refused_with_its_line_column_and_reason(
    config: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    payload = tmp_path / "content.json"
    payload.write_text(SEED_CONTENT_AS_PRINTED, "utf-8")

    for command in (("content", "upsert"), ("completions", "push", "100001")):
        code, output = wlc(config, *command, str(payload))
        assert code == ExitCode.USAGE
        assert "line 21, column 4: trailing comma" in " ".join(output.split())
    assert sandbox.learning.courses() == []


def test_an_over_long_description_fails_its_item_naming_the_field_as_the_api_does(
    config: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    payload = tmp_path / "content.json"
    too_long = item(sandbox, external_reference="LONG-1", title="Long", description="d" * (DESCRIPTION_MAX + 1))
    payload.write_text(json.dumps([too_long, item(sandbox)]), "utf-8")

    code, output = wlc(config, "content", "upsert", str(payload))

    assert code == ExitCode.SOME_FAILED
    assert "description: is 10,001 characters long" in " ".join(output.split())
    assert [c.course_id for c in sandbox.learning.courses()] == ["ADV-SALES-001"]
