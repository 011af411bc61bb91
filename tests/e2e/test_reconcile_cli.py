"""``wlc reconcile`` end to end against the sandbox: completions pushed through the CLI, a launch Workday
auto-completes, an administrator's rescission, a deletion by the provider; the dry run lists, ``--fix``
corrects, and a second run finds Workday and the provider in agreement."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.storage import create_engine_for
from adapters.storage.completion_outbox import SqlCompletionOutbox
from app.cli.main import cli
from app.errors import ExitCode
from app.sandbox_settings import sandbox_toml
from domain.learning_completions import CompletionResult, LearningCompletion
from sandbox.config import SandboxConfig
from sandbox.population import worker_at
from sandbox.server import SandboxServer
from sandbox.workday.learning.enrollments import StoredEnrollment

runner = CliRunner()
POPULATION = SandboxConfig(workers=50, completions=5, soap_rate_limit=None)
L1, L2, L3, L4, L5 = (worker_at(POPULATION, n).employee_id for n in range(5))


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(POPULATION) as server:
        yield server


@pytest.fixture
def config(sandbox: SandboxServer, tmp_path: Path) -> Path:
    path = tmp_path / "wlc.toml"
    path.write_text(sandbox_toml(sandbox.base_url, sandbox.config, f"sqlite:///{tmp_path / 'l.db'}"), "utf-8")
    for reference in ("COURSE-A", "COURSE-B"):
        content = tmp_path / f"{reference}.json"
        content.write_text(
            json.dumps(
                {
                    "title": f"Course {reference}",
                    "external_reference": reference,
                    "content_url": f"https://provider.example.com/courses/{reference}",
                    "categories": [{"name": "Sales"}],
                }
            ),
            "utf-8",
        )
        assert wlc(path, "content", "upsert", str(content))[0] == ExitCode.DONE
    return path


def wlc(config: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--config", str(config), *args], terminal_width=200)
    return result.exit_code, result.output


def push(config: Path, tmp_path: Path, learner: str, course: str, result: str = "Pass") -> None:
    payload = tmp_path / f"completion-{learner}-{course}.json"
    completion = {
        "learning_object_external_reference": course,
        "result": {"value": result},
        "completed_at": "2026-01-15T14:45:30Z",
    }
    payload.write_text(json.dumps(completion), "utf-8")
    code, output = wlc(config, "completions", "push", learner, str(payload))
    assert code == ExitCode.DONE, output


def live(sandbox: SandboxServer, learner: str, course: str) -> list[StoredEnrollment]:
    return [e for e in sandbox.enrollments.enrollments_of(learner, course) if not e.rescinded]


def test_reconcile_lists_then_fixes_missing_auto_completed_and_extra_and_then_agrees(
    config: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    push(config, tmp_path, L1, "COURSE-A")  # in agreement
    push(config, tmp_path, L2, "COURSE-A")
    (rescinded_by_admin,) = live(sandbox, L2, "COURSE-A")
    sandbox.enrollments.put_enrollment(rescinded_by_admin.wid, None, lambda e: replace(e, rescinded=True) if e else e)  # type: ignore[arg-type,return-value]
    sandbox.enrollments.launch(L3, "COURSE-A")  # one lesson: Workday completes the course on launch
    sandbox.enrollments.launch(L4, "COURSE-B")  # a course the provider has sent nothing for
    push(config, tmp_path, L5, "COURSE-A")
    (withdrawn,) = live(sandbox, L5, "COURSE-A")
    assert wlc(config, "completions", "delete", L5, withdrawn.wid)[0] == ExitCode.DONE

    code, output = wlc(config, "reconcile")

    assert code == ExitCode.DONE, output
    assert "1 missing, 0 differs, 0 refused, 0 extra, 1 auto-completed" in output, output
    assert "1 completion(s) match" in output
    assert "Nothing was changed" in output
    assert live(sandbox, L2, "COURSE-A") == []
    assert [e.completion is not None for e in live(sandbox, L3, "COURSE-A")] == [True]

    code, output = wlc(config, "reconcile", "--course", "COURSE-B")
    assert "2 auto-completed" in output, output

    code, output = wlc(config, "reconcile", "--all-courses", "--fix")

    assert code == ExitCode.DONE, output
    assert "Corrected 3; 0 could not be corrected" in output, output
    (repushed,) = live(sandbox, L2, "COURSE-A")
    assert repushed.completion is not None
    assert live(sandbox, L3, "COURSE-A") == []
    assert live(sandbox, L4, "COURSE-B") == []
    assert live(sandbox, L5, "COURSE-A") == [], "a completion the provider withdrew must not be pushed back"
    assert [e.completion is not None for e in live(sandbox, L1, "COURSE-A")] == [True]
    run = re.search(r"Recorded as run (\d+)", output)
    assert run is not None, output
    code, shown = wlc(config, "runs", "show", run.group(1))
    assert code == ExitCode.DONE, shown
    assert "reconcile" in shown, shown
    assert shown.count("applied") == 3, shown

    code, output = wlc(config, "reconcile", "--all-courses")
    assert code == ExitCode.DONE
    assert "Workday and the provider agree" in output, output


def test_a_result_workday_holds_differently_is_pushed_again_onto_the_same_enrollment(
    config: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    push(config, tmp_path, L1, "COURSE-A", "Fail")
    (enrollment,) = live(sandbox, L1, "COURSE-A")
    sandbox.enrollments.put_enrollment(enrollment.wid, None, lambda e: replace(e, grade_id="PASS") if e else e)  # type: ignore[arg-type,return-value]

    code, output = wlc(config, "reconcile")
    assert "1 differs" in output, output

    code, output = wlc(config, "reconcile", "--fix")

    assert code == ExitCode.DONE, output
    assert [e.wid for e in live(sandbox, L1, "COURSE-A")] == [enrollment.wid]
    assert "Workday and the provider agree" in wlc(config, "reconcile")[1]


def upsert(config: Path, tmp_path: Path, reference: str, title: str) -> str:
    content = tmp_path / f"{reference}.json"
    document = {
        "title": title,
        "external_reference": reference,
        "content_url": "https://provider.example.com/courses/adv-sales",
        "categories": [{"name": "Sales"}],
    }
    content.write_text(json.dumps(document), "utf-8")
    code, output = wlc(config, "content", "upsert", str(content))
    assert code == ExitCode.DONE, output
    return output


def test_a_completion_stays_the_providers_after_its_courses_reference_moves_by_title(
    config: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    upsert(config, tmp_path, "ADV-SALES-001", "Advanced Sales Techniques")
    push(config, tmp_path, L1, "ADV-SALES-001")
    assert "re-keyed" in upsert(config, tmp_path, "ADV-SALES-002", "Advanced Sales Techniques")

    code, output = wlc(config, "reconcile", "--all-courses", "--fix")

    assert code == ExitCode.DONE, output
    assert "0 missing, 0 differs, 0 refused, 0 extra" in output, output
    (kept,) = live(sandbox, L1, "ADV-SALES-002")
    assert kept.completion is not None


def test_a_completion_workday_refused_is_reported_once_with_its_reason_and_fix_leaves_it(
    config: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    payload = tmp_path / "unknown-learner.json"
    completion = {
        "learning_object_external_reference": "COURSE-A",
        "result": {"value": "Pass"},
        "completed_at": "2026-01-15T14:45:30Z",
    }
    payload.write_text(json.dumps(completion), "utf-8")
    code, output = wlc(config, "completions", "push", "NO-SUCH-LEARNER", str(payload))
    assert code == ExitCode.SOME_FAILED, output

    code, dry = wlc(config, "reconcile")
    fix_code, fixed = wlc(config, "reconcile", "--fix")

    assert code == ExitCode.DONE, dry
    assert "1 refused" in dry, dry
    assert "NO-SUCH-LEARNER" in dry, dry
    assert "Employee_ID" in dry, dry
    assert fix_code == ExitCode.DONE, fixed
    assert "Corrected 0; 0 could not be corrected" in fixed, fixed
    assert "left alone" in fixed, fixed
    assert sandbox.enrollments.enrollments() == []


def test_a_cli_push_of_a_completion_the_api_worker_is_delivering_sends_nothing(
    config: Path, sandbox: SandboxServer, tmp_path: Path
) -> None:
    outbox = SqlCompletionOutbox(create_engine_for(f"sqlite:///{tmp_path / 'l.db'}"))
    completion = LearningCompletion(
        L1, "COURSE-A", CompletionResult.PASS, datetime(2026, 1, 15, 14, 45, 30, tzinfo=UTC)
    )
    entry, _ = outbox.enqueue("sandbox", completion, datetime.now(UTC))
    assert outbox.claim(entry.id, datetime.now(UTC), timedelta(minutes=10)) is not None  # wlc serve's worker

    payload = tmp_path / "completion.json"
    payload.write_text(
        json.dumps(
            {
                "learning_object_external_reference": "COURSE-A",
                "result": {"value": "Pass"},
                "completed_at": "2026-01-15T14:45:30Z",
            }
        ),
        "utf-8",
    )
    code, output = wlc(config, "completions", "push", L1, str(payload))

    assert code == ExitCode.DONE, output
    assert "being delivered" in output
    assert live(sandbox, L1, "COURSE-A") == []
