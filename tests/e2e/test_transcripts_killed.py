"""A transcript sync killed with SIGKILL mid-delivery, in a real subprocess, and started again: the sandbox ends
holding exactly the expected records, and only what was in flight at the kill was sent twice."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from app.sandbox_settings import sandbox_toml
from sandbox.config import SandboxConfig
from sandbox.population import worker_by_employee_id
from sandbox.server import SandboxServer

CONCURRENCY = 16  # the default learning.concurrency: at most this many puts are in flight at the kill
WLC = [sys.executable, "-c", "from app.cli.main import main; main()"]


def wlc(config: Path, *args: str) -> subprocess.Popen[bytes]:
    command = [*WLC, "--config", str(config), *args]  # our own CLI, with arguments the test chose
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603


def test_a_sync_killed_mid_way_and_run_again_sends_each_record_once(tmp_path: Path) -> None:
    sandbox_config = SandboxConfig(workers=400, seed=3, completions=300, soap_rate_limit=100)
    with SandboxServer(sandbox_config) as sandbox:
        config = tmp_path / "wlc.toml"
        ledger = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
        config.write_text(sandbox_toml(sandbox.base_url, sandbox.config, ledger), encoding="utf-8")
        store = sandbox.workday_learning
        reached = threading.Event()
        put_record = store.put_record

        def watched(*args: Any, **kwargs: Any) -> Any:
            stored = put_record(*args, **kwargs)
            if len(store.records()) >= 60:
                reached.set()
            return stored

        store.put_record = watched  # type: ignore[method-assign]

        first = wlc(config, "transcripts", "sync")
        assert reached.wait(timeout=120), "the first sync never got 60 records in"
        assert first.poll() is None, "the first sync ended before it could be killed"
        first.kill()
        first.wait(timeout=30)
        assert first.returncode == -9
        at_kill = len(store.records())

        second = wlc(config, "transcripts", "sync")
        output = second.communicate(timeout=300)[0].decode()
        assert second.returncode in (0, 1), output

        expected = {
            c.id
            for c in sandbox.completions.latest().values()
            if c.status == "passed"
            and not c.revoked
            and c.member.employee_id is not None
            and worker_by_employee_id(sandbox.config, c.member.employee_id) is not None
        }
        assert {r.id for r in store.records()} == expected
        assert at_kill < len(expected)
        sent_twice = [item for item, puts in store.put_counts("record").items() if puts > 1]
        assert len(sent_twice) <= CONCURRENCY

        third = wlc(config, "transcripts", "plan", "--json")
        plan = json.loads(third.communicate(timeout=120)[0])
        assert plan["records"] == []
        assert plan["contents"] == []
