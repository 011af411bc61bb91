"""The client's CPU per Workday request of a delivery: a sandbox in a process of its own (no latency, no rate
limit of its own) and ``wlc transcripts sync`` through the application container, so every request goes the way
a delivery's does: ``Put_Learning_Imported_Content`` then ``Put_Learning_Imported_Record`` through the Learning
SOAP adapter, the tenant's request budget, and a ledger write per settled item.

The clock starts when the plan is made (the provider's feed read) and stops when the run is recorded; the CPU is
this process's (every thread's), not wall time.

``python -m bench.delivery_cpu [completions]`` prints one JSON line. To see where the CPU goes, run it under
py-spy (``py-spy record --gil -f raw -o out.txt -- python -m bench.delivery_cpu``): cProfile sees one thread only.

``python -m bench.delivery_cpu pushes [completions] [courses]`` measures a runtime session's requests instead:
each completion pushed through the application container's ``push_completion`` as a session delivers it, one
after another, to a sandbox holding ``courses`` published courses (10 by default): the catalog read
(``Get_Learning_Digital_Courses``, every page, to find the course by its reference), the learner's enrollments
(``Get_Learning_Enrollments``) and ``Put_Learning_Enrollment``, each through the Learning SOAP adapter and the
tenant's request budget, the catalog read for every push (``lms.course_lookup_seconds = 0``). The clock starts
after the first push (the WSDL parsed, the connections open)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from returns.result import Success

from app.container import build_container
from app.sandbox_settings import sandbox_settings, sandbox_toml
from bench.api_ingestion import WLC, course
from bench.support import sandbox_process
from domain.learning_completions import CompletionResult, LearningCompletion
from sandbox.config import SandboxConfig
from sandbox.population import worker_at


def main(completions: int) -> None:
    options: dict[str, object] = {"workers": 2000, "completions": completions, "soap_rate_limit": None}
    config = SandboxConfig(**options)  # type: ignore[arg-type]
    with sandbox_process(**options) as base, tempfile.TemporaryDirectory() as scratch:
        settings = sandbox_settings(base, config, f"sqlite:///{Path(scratch) / 'ledger.sqlite3'}")
        container = build_container(settings=settings)
        container.learning_client()  # the WSDL is fetched and parsed before the clock starts
        started: dict[str, float] = {}

        def planned(_: object) -> None:
            started["cpu"], started["wall"] = time.process_time(), time.monotonic()

        result = container.sync_transcripts()(planned=planned)
        cpu, wall = time.process_time() - started["cpu"], time.monotonic() - started["wall"]
        container.shutdown_resources()
    counts = result.run.counts
    requests = counts["content_sent"] + counts["records_sent"] + counts["rejected"] + counts["failed"]
    print(
        json.dumps(
            {
                "requests": requests,
                "failed": counts["failed"],
                "cpu_ms_per_request": 1000 * cpu / requests,
                "requests_per_second": requests / wall,
                "cpu_seconds": cpu,
                "wall_seconds": wall,
            }
        )
    )


def pushes(completions: int, courses: int) -> None:
    options: dict[str, object] = {"workers": 2000, "completions": 0, "soap_rate_limit": None}
    config = SandboxConfig(**options)  # type: ignore[arg-type]
    learners = [worker_at(config, n).employee_id for n in range(min(completions, 1000))]
    with sandbox_process(**options) as base, tempfile.TemporaryDirectory() as scratch:
        ledger = f"sqlite:///{Path(scratch) / 'ledger.sqlite3'}"
        toml, catalog = Path(scratch) / "wlc.toml", Path(scratch) / "courses.json"
        toml.write_text(sandbox_toml(base, config, ledger), "utf-8")
        catalog.write_text(json.dumps([course(n) for n in range(courses)]), "utf-8")
        upsert = [*WLC, "--config", str(toml), "content", "upsert", str(catalog)]
        subprocess.run(upsert, check=True, capture_output=True)  # noqa: S603
        settings = sandbox_settings(base, config, ledger)
        tenant = settings.tenants["sandbox"]
        # Every push reads the catalog, so that each completion makes the same three requests (a session keeps the
        # courses it read for ``lms.course_lookup_seconds``, and makes two for most completions).
        lms = tenant.lms.model_copy(update={"course_lookup_seconds": 0.0})
        settings = settings.model_copy(update={"tenants": {"sandbox": tenant.model_copy(update={"lms": lms})}})
        container = build_container(settings=settings)
        push = container.push_completion()

        def pushed(n: int) -> bool:
            learner = learners[n % len(learners)]
            done = LearningCompletion(learner, f"BENCH-{n % courses}", CompletionResult.PASS, datetime.now(UTC))
            return isinstance(push(done), Success)

        pushed(0)
        cpu, wall = time.process_time(), time.monotonic()
        refused = sum(1 for n in range(1, completions + 1) if not pushed(n))
        cpu, wall = time.process_time() - cpu, time.monotonic() - wall
        container.shutdown_resources()
    requests = 3 * completions  # the catalog's one page, the enrollments' one page, the Put
    print(
        json.dumps(
            {
                "completions": completions,
                "courses": courses,
                "refused": refused,
                "cpu_ms_per_request": 1000 * cpu / requests,
                "cpu_ms_per_completion": 1000 * cpu / completions,
                "requests_per_second": requests / wall,
                "cpu_seconds": cpu,
                "wall_seconds": wall,
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["pushes"]:
        pushes(int(sys.argv[2]) if len(sys.argv) > 2 else 500, int(sys.argv[3]) if len(sys.argv) > 3 else 10)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
