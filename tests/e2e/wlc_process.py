"""``wlc`` run as a user runs it: this project's installed command, in a process of its own."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

READY_SECONDS = 60
STOP_SECONDS = 120


def user_environment(*, columns: int) -> dict[str, str]:
    """This process's environment as a user's terminal ``columns`` wide, without the ``WLC_...`` settings of
    whoever runs the tests (they would change what ``wlc`` does)."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("WLC_")}, "COLUMNS": str(columns)}


def wlc_program() -> list[str]:
    """The project's ``wlc``: the script installed beside this Python, or its entry point run by it."""
    script = Path(sys.executable).with_name("wlc")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from app.cli.main import main; main()"]


class Background:
    """``wlc *args`` left running, its output (stdout and stderr) kept in ``lines``: read until it says it is
    ready, then by a thread, so that its pipe never fills."""

    def __init__(self, args: Sequence[str], cwd: Path, env: dict[str, str]) -> None:
        self.args = tuple(args)
        self.process = subprocess.Popen(  # noqa: S603 - the project's own command
            [*wlc_program(), *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self._reader: threading.Thread | None = None

    def wait_for(self, pattern: str, *also: str) -> re.Match[str]:
        """The first line of output that matches ``pattern``, once each of ``also`` has matched a line too (in any
        order); fails with the output if the process ends, or has not printed them within READY_SECONDS (then it is
        killed)."""
        assert self.process.stdout is not None
        waiting = {pattern, *also}
        found: dict[str, re.Match[str]] = {}
        watchdog = threading.Timer(READY_SECONDS, self.process.kill)
        watchdog.start()
        try:
            for text in self.process.stdout:
                self.lines.append(text)
                found |= {p: match for p in waiting - found.keys() if (match := re.search(p, text))}
                if found.keys() == waiting:
                    break
            else:
                missing = " and ".join(f"/{p}/" for p in waiting - found.keys())
                raise AssertionError(f"wlc {' '.join(self.args)} ended before printing {missing}:\n{self.output}")
        finally:
            watchdog.cancel()
        stdout = self.process.stdout
        self._reader = threading.Thread(target=lambda: self.lines.extend(stdout), daemon=True)
        self._reader.start()
        return found[pattern]

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str]:
        """Sends ``signum`` and waits for the exit: (exit code, all the output)."""
        self.process.send_signal(signum)
        code = self.process.wait(timeout=STOP_SECONDS)
        if self._reader is not None:
            self._reader.join(timeout=STOP_SECONDS)
        return code, self.output

    def kill(self) -> None:
        """Kills the process if it still runs (a test that failed half way)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Forker:
    """Runs ``wlc`` commands one after another, each in a process of its own, in ``cwd`` with ``env``, forked from
    one that has imported ``wlc`` already (``wlc_forker.py``): as the installed command runs them, less the start."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - this project's script
            [sys.executable, str(Path(__file__).with_name("wlc_forker.py"))],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, args: Sequence[str], *, timeout: float) -> tuple[int, str]:
        """``wlc *args`` run to its end: (exit code, its output, stdout and stderr together). A command still
        running after ``timeout`` seconds is killed (exit code -9)."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        with tempfile.NamedTemporaryFile("r", encoding="utf-8", prefix="wlc-output-") as output:
            self.process.stdin.write(json.dumps({"args": list(args), "output": output.name}) + "\n")
            self.process.stdin.flush()
            child = int(self.process.stdout.readline() or "0")
            assert child, f"the forker ended: exit code {self.process.wait()}"
            watchdog = threading.Timer(timeout, os.kill, (child, signal.SIGKILL))
            watchdog.start()
            try:
                code = int(self.process.stdout.readline())
            finally:
                watchdog.cancel()
            return code, output.read()

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=STOP_SECONDS)
