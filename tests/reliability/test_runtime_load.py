"""Load on the runtime: completion posts through the HTTP API across many tenants, delivered by 3 ``wlc worker``
processes on PostgreSQL to each tenant's Workday (one sandbox playing them all, each with a limit of its own).
Every post is delivered once (each tenant's Workday ends holding exactly the completions posted to it, each put
once), ``/healthz`` answers every probe while the posts arrive and the workers drain, and no tenant's Workday sees
more than its limit in any one second (it would refuse the request with a 429). Time to drain and each tenant's
busiest second are printed, never asserted. The short version runs in ``make test``; 10,000 posts across 50
tenants under ``make soak``."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet

from app.http.app import create_app
from app.http.services import api_dependencies
from tests.reliability.api_harness import COMPLETIONS, serving
from tests.reliability.fleet import (
    COURSE,
    LIMIT,
    Fleet,
    completion,
    own_database,
    postgres_answers,
    sandbox_config,
    tenant_names,
)
from tests.sandbox_process import SandboxProcess
from tests.waiting import until

pytestmark = pytest.mark.postgres
IN_FLIGHT = 16
RATE_MARGIN_MS = 150
"""The tenants' ``learning.rate_margin_ms``: on two cores shared with the API, the load and three workers, requests
are held up on their way for longer than the default 30 ms, and Workday answered a few 429s with it."""
WORKERS = ("w1", "w2", "w3")


@pytest.fixture(autouse=True)
def _keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WLC_SECRET_KEYS", Fernet.generate_key().decode())


@pytest.fixture(autouse=True)
def _postgres() -> None:
    if not postgres_answers():
        pytest.skip("PostgreSQL does not answer (WLC_TEST_POSTGRES_URL): the runtime's load runs on PostgreSQL only")


PROBE_EVERY = 0.02
"""Seconds between health probes. Back to back, the prober held this process's interpreter lock for much of the
drain, and the sandbox, in the same process, saw requests late and bunched: a 429 of the test's own making."""


def _probe(base: str, done: threading.Event, probes: Counter[str]) -> None:
    """``/healthz`` every ``PROBE_EVERY`` seconds until ``done``, and once more after it: each answer counted."""
    with httpx.Client(base_url=base, timeout=10) as client:
        while True:
            last = done.wait(PROBE_EVERY)
            try:
                probes[str(client.get("/healthz").status_code)] += 1
            except httpx.HTTPError as failed:
                probes[type(failed).__name__] += 1
            if last:
                return


def posts_delivered_once(scratch: Path, tenants: int, per_tenant: int, deadline: float) -> None:
    names = tenant_names(tenants)
    with own_database() as ledger_url, SandboxProcess(sandbox_config, names, learners=per_tenant) as sandbox:
        fleet = Fleet(sandbox, ledger_url, scratch, names, rate_margin_ms=RATE_MARGIN_MS)
        try:
            _run(fleet, names, per_tenant, deadline)
        finally:
            fleet.close()


def _run(fleet: Fleet, names: list[str], per_tenant: int, deadline: float) -> None:
    deps = api_dependencies(fleet.application)
    _, key = deps.keys.create(names, datetime.now(UTC))
    learners = fleet.learners(per_tenant)
    posts = [(tenant, learner, n) for n, learner in enumerate(learners) for tenant in names]
    statuses: Counter[int] = Counter()
    probes: Counter[str] = Counter()
    done = threading.Event()
    with serving(create_app(deps)) as base:
        fleet.start(*WORKERS)
        prober = threading.Thread(target=_probe, args=(base, done, probes), daemon=True)
        prober.start()
        started = time.monotonic()
        local = threading.local()

        def post(item: tuple[str, str, int]) -> int:
            tenant, learner, n = item
            if not hasattr(local, "client"):
                local.client = httpx.Client(base_url=base, timeout=30)
            sent = completion(learner, n)
            body = {
                "learning_object_external_reference": COURSE,
                "result": {"value": "Pass"},
                "completed_at": sent.completed_at.isoformat(),
                "score": {"value": 90},
            }
            headers = {"Authorization": f"Bearer {key}", "x-account-id": tenant}
            return local.client.post(COMPLETIONS.format(learner), json=body, headers=headers).status_code  # type: ignore[no-any-return]

        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            statuses.update(pool.map(post, posts))
        posted = time.monotonic() - started
        try:
            until(lambda: fleet.delivered() >= len(posts) or None, f"{len(posts)} completions delivered", deadline)
        except AssertionError:
            logs = "".join(line for lines in fleet.logs.values() for line in lines[-20:])
            raise AssertionError(f"{fleet.delivered()} of {len(posts)} delivered; the workers said:\n{logs}") from None
        finally:
            drained = time.monotonic() - started
            done.set()
            prober.join(30)
            fleet.stop_workers()

    busiest = fleet.busiest()
    print(
        f"\n{len(posts):,} posts across {len(names)} tenants, 3 workers: posted in {posted:.1f} s, drained in "
        f"{drained:.1f} s ({len(posts) / drained:,.1f} completions/s); busiest second per tenant: max "
        f"{max(busiest.values())}, min {min(busiest.values())} (limit {LIMIT}); 429s {fleet.refused()}; health "
        f"probes {dict(probes)}"
    )
    assert statuses == Counter({202: len(posts)}), statuses
    assert set(probes) == {"200"}, probes  # every probe answered 200, none failed
    assert probes["200"] >= 2
    for tenant in names:
        enrollments = fleet.enrollments(tenant)
        assert sorted(e.learner_employee_id for e in enrollments) == sorted(learners), tenant  # each learner once
        assert all(e.completion is not None and e.puts == 1 for e in enrollments), tenant  # each put once
    assert fleet.refused() == 0, "a tenant's Workday refused requests over its limit"  # its busiest second <= LIMIT


def test_completion_posts_across_tenants_are_delivered_once_by_three_workers(tmp_path: Path) -> None:
    posts_delivered_once(tmp_path, tenants=12, per_tenant=10, deadline=120)


@pytest.mark.soak
def test_ten_thousand_completion_posts_across_fifty_tenants_are_delivered_once(tmp_path: Path) -> None:
    posts_delivered_once(tmp_path, tenants=50, per_tenant=200, deadline=900)
