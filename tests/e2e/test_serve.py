"""``wlc serve --workers 2`` as an operator runs it: two API processes on one port answering health checks and
accepting completions, and the ``wlc worker`` process it starts delivering each of them to the sandbox once."""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import socket
import threading
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import httpx
import pytest

from adapters.storage import create_engine_for
from adapters.storage.api_keys import SqlApiKeyStore
from app.sandbox_settings import sandbox_toml
from sandbox.config import SandboxConfig
from sandbox.population import worker_at
from sandbox.server import SandboxServer
from tests.e2e.test_lms_cli import item, wlc
from tests.fork_server import WlcProcess, start_wlc_reading

POPULATION = SandboxConfig(workers=50, completions=5, soap_rate_limit=None)


def _serve(*args: str) -> tuple[WlcProcess, TextIO]:
    """``wlc *args`` (a ``wlc serve``) started, its stdout discarded: the process and its log (stderr)."""
    return start_wlc_reading(args, stdout=False)


def _started(stderr: TextIO, workers: int) -> list[str]:
    """Reads the server's log until every worker has started, then goes on reading it on a thread (a log
    nobody reads fills its pipe and stops the server); returns the lines, which keep growing."""
    seen: list[str] = []
    while sum("Application startup complete" in line for line in seen) < workers:
        line = stderr.readline()
        assert line, "wlc serve stopped before its workers started:\n" + "".join(seen)
        seen.append(line)
    threading.Thread(target=lambda: seen.extend(stderr), name="serve-log", daemon=True).start()
    return seen


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _watch_deliveries(sandbox: SandboxServer, expected: int) -> threading.Event:
    """An event set once the sandbox has taken ``expected`` enrollment puts."""
    done = threading.Event()
    enrollments = sandbox.enrollments
    put = enrollments.put_enrollment
    puts = itertools.count(1)

    def counted(*args: Any, **kwargs: Any) -> Any:
        stored = put(*args, **kwargs)
        if next(puts) >= expected:
            done.set()
        return stored

    enrollments.put_enrollment = counted  # type: ignore[method-assign]
    return done


def _configured(sandbox: SandboxServer, tmp_path: Path) -> tuple[Path, str]:
    """A ``wlc.toml`` for ``sandbox`` with a ledger in ``tmp_path``, the seed's course published by the CLI,
    and an API key for the sandbox account: (the settings file, the key)."""
    config = tmp_path / "wlc.toml"
    ledger = f"sqlite:///{tmp_path / 'l.db'}"
    # the runtime at the tests' pace (a tick every second, queues looked at five times a second), not the
    # settings' defaults, which keep an idle worker cheap and a delivery up to 12 s away
    fast = "[runtime]\ntick_seconds = 1\nqueue_polling_seconds = 0.2\n\n[tenants.sandbox]\n"
    toml = sandbox_toml(sandbox.base_url, sandbox.config, ledger).replace("[tenants.sandbox]\n", fast, 1)
    config.write_text(toml, "utf-8")
    payload = tmp_path / "content.json"
    payload.write_text(json.dumps(item(sandbox, cover_url=None)), "utf-8")
    assert wlc(config, "content", "upsert", str(payload))[0] == 0
    _, key = SqlApiKeyStore(create_engine_for(ledger)).create(["sandbox"], datetime.now(UTC))
    return config, key


def _post(api: httpx.Client, learner: str) -> httpx.Response:
    """The learner's pass of the seed's course."""
    return api.post(
        f"/unified/lms/users/{learner}/completions",
        json={
            "learning_object_external_reference": "ADV-SALES-001",
            "result": {"value": "Pass"},
            "completed_at": "2026-01-15T14:45:30Z",
        },
    )


def test_two_workers_answer_and_every_completion_accepted_is_delivered_once(tmp_path: Path) -> None:
    with SandboxServer(POPULATION) as sandbox:
        config, key = _configured(sandbox, tmp_path)
        port = _free_port()
        command = ["--config", str(config), "serve", "--port", str(port), "--workers", "2"]
        learners = [worker_at(POPULATION, n).employee_id for n in range(20)]
        all_delivered = _watch_deliveries(sandbox, len(learners))
        server, server_log = _serve(*command)
        try:
            log = _started(server_log, 2)
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {key}"}) as api:
                assert api.get("/healthz").status_code == 200
                for learner in learners:
                    posted = _post(api, learner)
                    assert posted.status_code == 202, posted.text
            delivered = all_delivered.wait(timeout=120)
            assert delivered, "wlc worker did not deliver every completion:\n" + "".join(log[-40:])
            _console_session_answers_in_every_worker(config, port)
        finally:
            server.terminate()
            server.wait(timeout=30)
        for learner in learners:
            enrollments = sandbox.enrollments.enrollments_of(learner, "ADV-SALES-001")
            assert [e.completion is not None for e in enrollments] == [True], learner


def _console_session_answers_in_every_worker(config: Path, port: int) -> None:
    """An operator signs in to the console once, and each of the workers (which made or read the one session key
    the ledger keeps) serves the session."""
    ledger = tomllib.loads(config.read_text("utf-8"))["ledger_url"]
    _, admin_key = SqlApiKeyStore(create_engine_for(ledger)).create([], datetime.now(UTC), admin=True)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as browser:
        login = browser.get("/console/login")
        token = re.search(r'name="csrf" value="([^"]+)"', login.text)
        assert token is not None, login.text
        signed_in = browser.post("/console/login", data={"key": admin_key, "name": "Ada", "csrf": token.group(1)})
        assert signed_in.status_code == 303, signed_in.text
        cookies = dict(browser.cookies)
    pages = []
    for _ in range(12):  # a connection each, so that the workers take turns accepting them
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", cookies=cookies) as fresh:
            pages.append(fresh.get("/console").status_code)
    assert pages == [200] * 12


def test_on_a_tenant_that_rotates_refresh_tokens_every_process_refreshes_with_the_latest(tmp_path: Path) -> None:
    """The CLI, the API process and ``wlc worker`` each refresh the access token of a tenant that rotates its
    refresh token at every grant and refuses the one it replaced: each must start from the token the last one
    kept in the ledger, not the configured one, long rotated away."""
    rotating = SandboxConfig(workers=50, completions=5, soap_rate_limit=None, rotate_refresh_tokens=True)
    with SandboxServer(rotating) as sandbox:
        config, key = _configured(sandbox, tmp_path)  # the first grant: the token rotates
        port = _free_port()
        learners = [worker_at(rotating, n).employee_id for n in range(3)]
        all_delivered = _watch_deliveries(sandbox, len(learners))
        command = ["--config", str(config), "serve", "--port", str(port)]
        server, server_log = _serve(*command)
        try:
            log = _started(server_log, 1)
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {key}"}) as api:
                for learner in learners:
                    posted = _post(api, learner)
                    assert posted.status_code == 202, posted.text
                assert all_delivered.wait(timeout=120), "wlc worker did not deliver:\n" + "".join(log[-40:])
                (enrollment,) = sandbox.enrollments.enrollments_of(learners[0], "ADV-SALES-001")
                # Read by its enrollment WID, the API process asks Workday itself: its own grant.
                by_wid = api.get(f"/unified/lms/users/{learners[0]}/completions/{enrollment.wid}")
                assert by_wid.status_code == 200, by_wid.text
        finally:
            server.terminate()
            server.wait(timeout=30)
        listed, output = wlc(config, "categories", "list")  # a later CLI run: its own grant again
        assert listed == 0, output
        grants = sandbox.tokens.issued
    assert len(grants) >= 4  # the first CLI run, wlc worker, the API process, the second CLI run
    assert all(grant.refresh_token is not None for grant in grants)


class _Log:
    """``wlc serve``'s log, read on a thread; ``pids`` are the ``wlc worker`` processes it said it started."""

    def __init__(self, stderr: TextIO) -> None:
        self.lines: list[str] = []
        self.pids: list[int] = []
        self.started = threading.Event()
        self.restarted = threading.Event()
        self._stderr = stderr
        threading.Thread(target=self._read, name="serve-log", daemon=True).start()

    def _read(self) -> None:
        for line in self._stderr:
            self.lines.append(line)
            if match := re.search(r"started wlc worker \(pid (\d+)\)", line):
                self.pids.append(int(match.group(1)))
                if len(self.pids) == 2:
                    self.restarted.set()
            if "Application startup complete" in line:
                self.started.set()


def test_a_worker_that_dies_is_started_again_and_sigterm_stops_both(tmp_path: Path) -> None:
    with SandboxServer(POPULATION) as sandbox:
        config, key = _configured(sandbox, tmp_path)
        port = _free_port()
        learner = worker_at(POPULATION, 0).employee_id
        delivered = _watch_deliveries(sandbox, 1)
        command = ["--config", str(config), "serve", "--port", str(port)]
        server, server_log = _serve(*command)
        log = _Log(server_log)
        try:
            assert log.started.wait(timeout=60), "".join(log.lines)
            os.kill(log.pids[0], signal.SIGKILL)  # the worker dies
            assert log.restarted.wait(timeout=60), "".join(log.lines)
            assert any("exited with code -9" in line for line in log.lines)
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {key}"}) as api:
                posted = _post(api, learner)
                assert posted.status_code == 202, posted.text
            assert delivered.wait(timeout=120), "the worker started again delivered nothing:\n" + "".join(
                log.lines[-40:]
            )
            server.send_signal(signal.SIGTERM)
            assert server.wait(timeout=90) == 0
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
        with pytest.raises(ProcessLookupError):  # stopped and reaped by wlc serve before it exited
            os.kill(log.pids[1], 0)


def _answers(api: httpx.Client, path: str, headers: dict[str, str], status: int) -> bool:
    """Whether ``path`` answers ``status`` within 30 s, asked again every 0.2 s: the API reads the tenants table
    again every 2 s."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if api.get(path, headers=headers).status_code == status:
            return True
        threading.Event().wait(0.2)
    return False


def test_a_tenant_added_or_removed_by_another_process_is_served_or_refused_without_a_restart(tmp_path: Path) -> None:
    with SandboxServer(POPULATION) as sandbox:
        config, _ = _configured(sandbox, tmp_path)
        second = tmp_path / "second.toml"
        tenant = config.read_text("utf-8").split("[tenants.sandbox]\n", 1)[1].replace("[tenants.sandbox.", "[")
        second.write_text(tenant, "utf-8")
        _, key = SqlApiKeyStore(create_engine_for(f"sqlite:///{tmp_path / 'l.db'}")).create(
            ["second"], datetime.now(UTC)
        )
        headers = {"Authorization": f"Bearer {key}", "x-account-id": "second"}
        port = _free_port()
        command = ["--config", str(config), "serve", "--port", str(port), "--no-worker"]
        server, server_log = _serve(*command)
        try:
            _started(server_log, 1)
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as api:
                assert api.get("/unified/lms/categories", headers=headers).status_code == 403

                assert wlc(config, "tenants", "add", "second", "--file", str(second))[0] == 0
                assert _answers(api, "/unified/lms/categories", headers, 200)

                assert wlc(config, "tenants", "remove", "second", "--yes")[0] == 0
                assert _answers(api, "/unified/lms/categories", headers, 403)
        finally:
            server.terminate()
            server.wait(timeout=30)
