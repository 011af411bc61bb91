import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from adapters.retries import RetryPolicy
from adapters.workday.errors import WorkdayUnavailable
from adapters.workday.retries import call_with_retries
from app.observability import metrics
from app.observability.workday_calls import ObservedTransport, operation_of

ENVELOPE = (
    b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    b'xmlns:bsvc="urn:com.workday/bsvc"><soapenv:Header><wsse:Security/></soapenv:Header>'
    b'<soapenv:Body>\n  <bsvc:Put_Learning_Imported_Record_Request bsvc:version="v44.2"/></soapenv:Body>'
    b"</soapenv:Envelope>"
)
HOST = "https://wd2-impl-services1.workday.com"


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.parametrize(
    ("method", "url", "body", "expected"),
    [
        ("POST", f"{HOST}/ccx/service/acme/Learning/v44.2", ENVELOPE, "Put_Learning_Imported_Record_Request"),
        ("GET", f"{HOST}/ccx/service/acme/Learning/v44.2?wsdl", b"", "wsdl"),
        ("POST", f"{HOST}/ccx/oauth2/acme/token", b"grant_type=refresh_token", "token"),
        ("GET", f"{HOST}/ccx/service/customreport2/acme/lumiq/Workers?format=json", b"", "report"),
        ("GET", f"{HOST}/ccx/api/learning/v1/acme/content", b"", "GET content"),
        ("GET", f"{HOST}/ccx/api/learning/v1/acme/content/9c0e5f1a2b3c4d/lessons", b"", "GET content/{id}/lessons"),
    ],
)
def test_a_requests_operation_is_its_soap_element_or_its_path_without_identifiers(
    method: str, url: str, body: bytes, expected: str
) -> None:
    assert operation_of(httpx.Request(method, url, content=body)) == expected


def test_each_workday_request_is_counted_by_tenant_operation_and_status_and_timed() -> None:
    answers = iter([429, 200, 500])
    client = httpx.Client(
        transport=ObservedTransport(httpx.MockTransport(lambda _: httpx.Response(next(answers))), "metrics-t1")
    )
    labels = {"tenant": "metrics-t1", "operation": "Put_Learning_Imported_Record_Request"}

    for _ in range(3):
        client.post(f"{HOST}/ccx/service/acme/Learning/v44.2", content=ENVELOPE)

    for status in ("200", "429", "500"):
        assert sample("wlc_workday_requests_total", **labels, status=status) == 1
    assert sample("wlc_workday_request_seconds_count", **labels) == 3
    assert sample("wlc_workday_throttled_total", tenant="metrics-t1") == 1


def test_a_request_without_an_answer_is_counted_as_an_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = httpx.Client(transport=ObservedTransport(httpx.MockTransport(refuse), "metrics-t2"))
    with pytest.raises(httpx.ConnectError):
        client.get(f"{HOST}/ccx/api/learning/v1/acme/content")

    assert sample("wlc_workday_requests_total", tenant="metrics-t2", operation="GET content", status="error") == 1


def test_a_retry_is_counted_for_the_tenant_of_the_request_that_failed() -> None:
    client = httpx.Client(transport=ObservedTransport(httpx.MockTransport(lambda _: httpx.Response(503)), "metrics-t3"))
    from app.observability.workday_calls import listen_for_retries

    listen_for_retries()

    def once() -> None:
        client.get(f"{HOST}/ccx/api/learning/v1/acme/content")
        raise WorkdayUnavailable("Workday answered HTTP 503", 503)

    with pytest.raises(Exception, match="gave up after 3 attempts"):
        call_with_retries("GET content", once, RetryPolicy(attempts=3), sleep=lambda _: None)

    assert sample("wlc_workday_retries_total", tenant="metrics-t3") == 2
    assert sample("wlc_workday_requests_total", tenant="metrics-t3", operation="GET content", status="503") == 3


def test_schedule_lag_is_what_the_scheduler_last_said_and_never_negative() -> None:
    metrics.observe_schedule_lag("metrics-t4", "transcripts", 42.5)
    assert sample("wlc_schedule_lag_seconds", tenant="metrics-t4", kind="transcripts") == 42.5
    metrics.observe_schedule_lag("metrics-t4", "transcripts", -1.0)
    assert sample("wlc_schedule_lag_seconds", tenant="metrics-t4", kind="transcripts") == 0.0


def test_the_multiprocess_directory_is_emptied_at_start(tmp_path: Path) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_123.db").write_bytes(b"left by a previous run")
    environ = {metrics.MULTIPROC_VARIABLE: str(folder)}

    assert metrics.prepare_multiprocess_dir(environ) == folder
    assert list(folder.iterdir()) == []

    made: dict[str, str] = {}
    fresh = metrics.prepare_multiprocess_dir(made)
    assert made[metrics.MULTIPROC_VARIABLE] == str(fresh)
    assert fresh.is_dir()
    fresh.rmdir()


WRITER = """
from app.observability import metrics
metrics.observe_run("mp", "transcripts", "succeeded")
metrics.observe_workday_request("mp", "Put_Learning_Imported_Record_Request", 200, 0.2)
metrics.observe_schedule_lag("mp", "membership", {lag})
"""


def test_two_processes_write_and_one_scrape_sums_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = metrics.prepare_multiprocess_dir({metrics.MULTIPROC_VARIABLE: str(tmp_path / "mp")})
    env = {"PATH": "", metrics.MULTIPROC_VARIABLE: str(folder), "PYTHONPATH": ":".join(sys.path)}
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER.format(lag=lag)], env=env)  # noqa: S603
        for lag in (5.0, 7.0)
    ]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]
    monkeypatch.setenv(metrics.MULTIPROC_VARIABLE, str(folder))

    text, _ = metrics.exposition()

    found = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text.decode())
        for s in family.samples
    }
    runs = ("wlc_runs_total", (("kind", "transcripts"), ("outcome", "succeeded"), ("tenant", "mp")))
    assert found[runs] == 2
    op = (("operation", "Put_Learning_Imported_Record_Request"), ("tenant", "mp"))
    assert found["wlc_workday_request_seconds_count", op] == 2
    assert found["wlc_schedule_lag_seconds", (("kind", "membership"), ("tenant", "mp"))] in (5.0, 7.0)


def test_the_readme_names_every_metric() -> None:
    readme = (Path(__file__).parents[4] / "README.md").read_text(encoding="utf-8")
    for name, kind, _ in metrics.documented():
        assert f"| `{name}` | {kind} |" in readme, name
