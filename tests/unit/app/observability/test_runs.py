import json
import logging
import threading
from datetime import UTC, datetime

from prometheus_client import REGISTRY

from adapters.fakes.sync_ledger import InMemorySyncLedger
from app.observability.logs import context_fields
from app.observability.runs import ObservedSyncLedger
from domain.runs import Run, RunKind, RunOutcome
from tests.logging_capture import captured_logs

AT = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def ended(tenant: str, kind: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("wlc_runs_total", {"tenant": tenant, "kind": kind, "outcome": outcome}) or 0.0


def test_a_run_is_counted_by_outcome_when_it_ends_and_its_records_name_it_meanwhile() -> None:
    ledger = ObservedSyncLedger(InMemorySyncLedger())
    before = ended("runs-t1", "membership", "succeeded")

    with captured_logs("json") as written:
        run = ledger.start_run(RunKind.MEMBERSHIP, "runs-t1", AT)
        logging.getLogger("app.test").info("within")
        ledger.finish_run(run.id, RunOutcome.SUCCEEDED, AT, {"added": 1})
        logging.getLogger("app.test").info("after")

    within, after = (json.loads(line) for line in written.getvalue().splitlines())
    assert (within["tenant"], within["run_id"]) == ("runs-t1", run.id)
    assert (after["tenant"], after["run_id"]) == (None, None)
    assert ended("runs-t1", "membership", "succeeded") - before == 1
    assert ledger.run(run.id) is not None


def test_a_run_finished_on_another_thread_or_never_started_here_is_still_counted() -> None:
    inner = InMemorySyncLedger()
    ledger = ObservedSyncLedger(inner)
    elsewhere = inner.start_run(RunKind.TRANSCRIPTS, "runs-t2", AT)  # started by another process, say
    started: list[Run] = []
    starter = threading.Thread(target=lambda: started.append(ledger.start_run(RunKind.RECONCILE, "runs-t2", AT)))
    starter.start()
    starter.join()

    ledger.finish_run(started[0].id, RunOutcome.FAILED, AT, {}, "down")
    ledger.finish_run(elsewhere.id, RunOutcome.PARTIAL, AT, {})

    assert ended("runs-t2", "reconcile", "failed") == 1
    assert ended("runs-t2", "transcripts", "partial") == 1
    assert "run_id" not in context_fields()  # the starting thread's binding was its own
