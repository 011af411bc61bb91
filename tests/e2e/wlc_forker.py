"""Runs ``wlc`` commands, each in a process of its own forked from this one, which has imported ``wlc`` already.

Started by ``wlc_process.Forker`` in the directory and environment the commands run in. It reads one request a
line from stdin, ``{"args": [...], "output": PATH}``; forks a child that runs ``wlc *args`` with its stdin from
/dev/null and its stdout and stderr both written to PATH; prints the child's pid, then its exit code (negative: the
signal that ended it). A command costs its own work, not the second or so it takes a new interpreter to import
the CLI, the application and their libraries. What a command imports lazily, it still imports itself."""

from __future__ import annotations

import atexit
import json
import os
import sys
import traceback

sys.path.pop(0)  # this script's folder, which an installed 'wlc' does not have on its path

from app.application import Application  # noqa: F401 - imported for the children, not used here
from app.cli.main import main


def run(args: list[str], output: str) -> int:
    """Forks a child running ``wlc *args`` into ``output``; returns its pid."""
    sys.stdout.flush()
    child = os.fork()
    if child:
        return child
    code = 1
    try:
        written = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(written, 1)
        os.dup2(written, 2)
        os.close(written)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        sys.argv = ["wlc", *args]
        try:
            main()
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
            if isinstance(exit_.code, str):
                print(exit_.code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()
        atexit._run_exitfuncs()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


for request in sys.stdin:
    asked = json.loads(request)
    pid = run(asked["args"], asked["output"])
    print(pid, flush=True)
    _, status = os.waitpid(pid, 0)
    print(os.waitstatus_to_exitcode(status), flush=True)
