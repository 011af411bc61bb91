"""The one fork server the tests start their long-lived processes from (``multiprocessing``'s, one per test
process): it has imported the CLI, the runtime and the sandbox once, so a worker or a sandbox started from it costs
its own work, not the second or more a new interpreter takes to import them. It holds no thread, so nothing a test
process's threads hold is copied into the processes forked from it."""

from __future__ import annotations

import multiprocessing

FORKED = multiprocessing.get_context("forkserver")
FORKED.set_forkserver_preload(
    ["app.cli.main", "app.runtime.engine", "sandbox.server", "tests.sandbox_process", "tests.worker_processes"]
)
