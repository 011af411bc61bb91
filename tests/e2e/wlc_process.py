"""``wlc`` run as a user runs it: this project's command, in a process of its own, forked from the tests' fork
server (``tests/fork_server.py``), which has imported ``wlc`` already."""

from __future__ import annotations

import os
import re
import signal
import threading
from collections.abc import Sequence
from pathlib import Path

from tests.fork_server import start_wlc_reading

READY_SECONDS = 60
STOP_SECONDS = 120


def user_environment(*, columns: int) -> dict[str, str]:
    """This process's environment as a user's terminal ``columns`` wide, without the ``WLC_...`` settings of
    whoever runs the tests (they would change what ``wlc`` does)."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("WLC_")}, "COLUMNS": str(columns)}


class Background:
    """``wlc *args`` left running, its output (stdout and stderr) kept in ``lines``: read until it says it is
    ready, then by a thread, so that its pipe never fills."""

    def __init__(self, args: Sequence[str], cwd: Path, env: dict[str, str]) -> None:
        self.args = tuple(args)
        self.process, self._output = start_wlc_reading(args, cwd=cwd, env=env)
        self.lines: list[str] = []
        self._reader: threading.Thread | None = None

    def wait_for(self, pattern: str, *also: str) -> re.Match[str]:
        """The first line of output that matches ``pattern``, once each of ``also`` has matched a line too (in any
        order); fails with the output if the process ends, or has not printed them within READY_SECONDS (then it is
        killed)."""
        waiting = {pattern, *also}
        found: dict[str, re.Match[str]] = {}
        watchdog = threading.Timer(READY_SECONDS, self.process.kill)
        watchdog.start()
        try:
            for text in self._output:
                self.lines.append(text)
                found |= {p: match for p in waiting - found.keys() if (match := re.search(p, text))}
                if found.keys() == waiting:
                    break
            else:
                missing = " and ".join(f"/{p}/" for p in waiting - found.keys())
                raise AssertionError(f"wlc {' '.join(self.args)} ended before printing {missing}:\n{self.output}")
        finally:
            watchdog.cancel()
        output = self._output
        self._reader = threading.Thread(target=lambda: self.lines.extend(output), daemon=True)
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
