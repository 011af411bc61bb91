import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import structlog

from app.observability.context import carry_context
from app.observability.logs import CONTEXT_FIELDS, bound
from tests.logging_capture import captured_logs


def _log_a_little() -> None:
    logging.getLogger("app.example").info("outside any run")
    with bound(tenant="acme", run_id=7):
        logging.getLogger("uvicorn.error").warning("a %s record", "uvicorn")
        structlog.get_logger("app.other").info("a structlog record", items=3)
    with bound(request_id="req-1"):
        logging.getLogger("app.example").error("in a request")


def test_every_json_record_is_one_line_with_time_level_tenant_run_and_request() -> None:
    with captured_logs("json") as written:
        _log_a_little()

    records = [json.loads(line) for line in written.getvalue().splitlines()]
    assert len(records) == 4
    for record in records:
        assert {"timestamp", "level", "event", *CONTEXT_FIELDS} <= record.keys()
        assert record["timestamp"].endswith("Z")
    assert [r["level"] for r in records] == ["info", "warning", "info", "error"]
    assert records[0]["tenant"] is None
    assert (records[1]["tenant"], records[1]["run_id"], records[1]["event"]) == ("acme", 7, "a uvicorn record")
    assert records[2]["items"] == 3
    assert (records[3]["request_id"], records[3]["tenant"]) == ("req-1", None)


def test_every_console_line_names_time_level_tenant_run_and_request() -> None:
    with captured_logs("console") as written:
        _log_a_little()

    lines = written.getvalue().splitlines()
    assert len(lines) == 4
    for line in lines:
        assert line[:4].isdigit()  # an ISO time first
        for field in CONTEXT_FIELDS:
            assert f"{field}=" in line
    assert "a uvicorn record" in lines[1]
    assert "tenant=acme" in lines[1]
    assert "run_id=7" in lines[1]
    assert "[warning" in lines[1]


def test_a_pool_started_within_a_run_logs_with_its_tenant_and_run() -> None:
    with captured_logs("json") as written:
        with bound(tenant="globex", run_id=12), ThreadPoolExecutor(2, initializer=carry_context()) as pool:
            list(pool.map(lambda n: logging.getLogger("app.pool").info("item %d", n), range(4)))
        logging.getLogger("app.pool").info("after the run, on %s", threading.current_thread().name)

    records = [json.loads(line) for line in written.getvalue().splitlines()]
    assert [(r["tenant"], r["run_id"]) for r in records[:4]] == [("globex", 12)] * 4
    assert (records[4]["tenant"], records[4]["run_id"]) == (None, None)
