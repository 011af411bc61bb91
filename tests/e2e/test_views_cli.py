"""The read-only views end to end against the sandbox: ``wlc content list|show``, ``wlc categories list``,
``wlc skills list`` and ``wlc completions list``, as tables and as JSON, over the SOAP and the REST catalog."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli.main import cli
from app.errors import ExitCode
from app.sandbox_settings import sandbox_toml
from sandbox.config import SandboxConfig
from sandbox.population import worker_at
from sandbox.server import SandboxServer
from sandbox.workday.learning.courses import SEEDED_SKILLS, SEEDED_TOPICS

runner = CliRunner()
POPULATION = SandboxConfig(workers=50, completions=5, soap_rate_limit=None)
LAUNCHER, PUSHED = (worker_at(POPULATION, n).employee_id for n in range(2))
REFERENCE = "ADV-SALES-001"


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(POPULATION) as server:
        yield server


def configured(sandbox: SandboxServer, tmp_path: Path, catalog: str = "soap") -> Path:
    path = tmp_path / f"wlc-{catalog}.toml"
    toml = sandbox_toml(sandbox.base_url, sandbox.config, f"sqlite:///{tmp_path / 'l.db'}")
    path.write_text(f'{toml}\n[tenants.sandbox.lms]\ncatalog = "{catalog}"\n', "utf-8")
    return path


@pytest.fixture
def config(sandbox: SandboxServer, tmp_path: Path) -> Path:
    path = configured(sandbox, tmp_path)
    content = tmp_path / "content.json"
    content.write_text(json.dumps(seed_content(sandbox)), "utf-8")
    code, _, output = wlc(path, "content", "upsert", str(content))
    assert code == ExitCode.DONE, output
    return path


def seed_content(sandbox: SandboxServer, **changes: object) -> dict[str, object]:
    return {
        "title": "Advanced Sales Techniques",
        "external_reference": REFERENCE,
        "description": "A comprehensive course covering <b>modern</b> B2B sales strategies.",
        "languages": [{"value": "en_GB"}, {"value": "fr_FR"}],
        "content_url": "https://provider.example.com/courses/adv-sales-001",
        "cover_url": sandbox.image_url("adv-sales-001.jpg"),
        "duration": "PT1H30M45S",
        "skills": [{"name": "Sales Techniques"}, {"name": "Customer Engagement"}],
        "categories": [{"name": "Sales"}, {"name": "Technology"}],
    } | changes


def wlc(config: Path, *args: str) -> tuple[int, str, str]:
    """The exit code, what went to stdout, and all that was printed (on a terminal wide enough for a row a line)."""
    result = runner.invoke(cli, ["--config", str(config), *args], env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.output


def wlc_json(config: Path, *args: str) -> Any:
    code, stdout, output = wlc(config, *args, "--json")
    assert code == ExitCode.DONE, output
    return json.loads(stdout)


def test_content_is_listed_and_one_course_shown_in_full_as_workday_holds_it(
    config: Path, sandbox: SandboxServer
) -> None:
    stored = sandbox.learning.course(REFERENCE)
    assert stored is not None
    assert stored.image is not None

    listed = wlc_json(config, "content", "list")
    shown = wlc_json(config, "content", "show", REFERENCE)

    assert listed == [
        {
            "id": REFERENCE,
            "remote_id": stored.wid,
            "external_reference": REFERENCE,
            "title": "Advanced Sales Techniques",
            "active": True,
        }
    ]
    assert shown["description"] == "A comprehensive course covering modern B2B sales strategies."
    assert [(le["order"], le["type"], le["url"], le["mandatory"]) for le in shown["lessons"]] == [
        (1, "external", "https://provider.example.com/courses/adv-sales-001", True)
    ]
    assert [(c["id"], c["name"]) for c in shown["categories"]] == [
        ("TOPIC_SALES", "Sales"),
        ("TOPIC_TECHNOLOGY", "Technology"),
    ]
    assert [s["name"] for s in shown["skills"]] == ["Sales Techniques", "Customer Engagement"]
    assert [language["id"] for language in shown["languages"]] == ["en_GB", "fr_FR"]
    assert (shown["duration_minutes"], shown["requires_enrollment"]) == (91, True)
    assert shown["cover_image"] == {
        "file_name": stored.image.file_name,
        "content_type": stored.image.content_type,
        "size_bytes": len(stored.image.data),
    }
    assert shown["not_read"] == []
    code, _, table = wlc(config, "content", "show", REFERENCE)
    assert code == ExitCode.DONE
    assert "91 minutes" in table
    assert f"{len(stored.image.data):,} bytes" in table


def test_values_from_workday_are_printed_literally_never_as_terminal_markup(
    config: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    content = tmp_path / "marked.json"
    marked = seed_content(sandbox, external_reference="MARKED-1", title="[red]Mitzner[/red] on [bold]tax")
    content.write_text(json.dumps(marked | {"cover_url": None}), "utf-8")
    assert wlc(config, "content", "upsert", str(content))[0] == ExitCode.DONE

    _, listing, _ = wlc(config, "content", "list")
    _, shown, _ = wlc(config, "content", "show", "MARKED-1")

    assert "[red]Mitzner[/red] on [bold]tax" in listing
    assert "[red]Mitzner[/red] on [bold]tax" in shown


def test_over_the_rest_catalog_show_says_which_fields_it_cannot_read(
    config: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    rest = configured(sandbox, tmp_path, "rest")

    shown = wlc_json(rest, "content", "show", REFERENCE)
    code, _, table = wlc(rest, "content", "show", REFERENCE)

    assert (shown["duration_minutes"], shown["requires_enrollment"], shown["cover_image"]) == (None, None, None)
    assert {n["field"] for n in shown["not_read"]} == {"duration_minutes", "requires_enrollment", "cover_image"}
    assert [language["name"] for language in shown["languages"]] == ["English (United Kingdom)", "French (France)"]
    assert code == ExitCode.DONE
    assert "not read: the Learning REST API" in table


def test_categories_and_skills_are_listed_as_json(config: Path) -> None:
    categories = wlc_json(config, "categories", "list")
    skills = wlc_json(config, "skills", "list")

    assert [c["name"] for c in categories] == sorted((name for _, name, _ in SEEDED_TOPICS), key=str.casefold)
    assert {(s["id"], s["name"]) for s in skills} == set(SEEDED_SKILLS)
    assert "SKILL_NEGOTIATION" in wlc(config, "skills", "list")[1]


def test_a_courses_and_a_learners_enrollments_show_completion_result_and_how_each_was_made(
    config: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    launched = sandbox.enrollments.launch(LAUNCHER, REFERENCE)
    completion = tmp_path / "completion.json"
    completion.write_text(
        json.dumps(
            {
                "learning_object_external_reference": REFERENCE,
                "result": {"value": "Pass"},
                "completed_at": "2025-01-15T14:45:30.000Z",
                "score": {"value": 87.5},
            }
        ),
        "utf-8",
    )
    assert wlc(config, "completions", "push", PUSHED, str(completion))[0] == ExitCode.DONE

    course = wlc_json(config, "completions", "list", "--course", REFERENCE)
    learner = wlc_json(config, "completions", "list", "--learner", LAUNCHER)

    by_learner = {e["learner_id"]: e for e in course}
    assert set(by_learner) == {LAUNCHER, PUSHED}
    assert by_learner[LAUNCHER]["launched_only"] is True
    assert by_learner[LAUNCHER]["id"] == launched.wid
    assert by_learner[PUSHED] | {"id": ""} == {
        "id": "",
        "learner_id": PUSHED,
        "course_id": launched.course_wid,
        "learning_object_external_reference": REFERENCE,
        "completed_at": "2025-01-15T14:45:30Z",
        "result": "pass",
        "score": 87.5,
        "launched_only": False,
    }
    assert learner == [by_learner[LAUNCHER]]
    code, _, table = wlc(config, "completions", "list", "--course", REFERENCE)
    assert code == ExitCode.DONE
    assert "on launch" in table
    assert "pushed or enrolled" in table


def test_an_unknown_course_exits_1_naming_it_and_listing_enrollments_of_nothing_is_a_usage_error(
    config: Path,
) -> None:
    shown = wlc(config, "content", "show", "NOPE-404")
    enrollments = wlc(config, "completions", "list", "--course", "NOPE-404")
    nothing = wlc(config, "completions", "list")

    assert shown[0] == enrollments[0] == ExitCode.SOME_FAILED
    assert "'NOPE-404'" in shown[2]
    assert "'NOPE-404'" in enrollments[2]
    assert nothing[0] == ExitCode.USAGE
    assert "--learner" in nothing[2]
