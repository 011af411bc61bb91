"""A bounded burst of completion posts to the HTTP API (served by uvicorn on loopback over a sandbox), health
probes all through it, and then the outbox delivered to the sandbox; shared by the test of ``make test`` and the
larger one of ``make soak``. Durations are printed, never asserted."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from adapters.system_clock import SystemClock
from app.http.app import create_app
from app.http.services import ApiDependencies
from app.runtime.delivery import Drain
from domain.outbox import OutboxStatus
from sandbox.config import SandboxConfig
from sandbox.population import worker_at
from sandbox.server import SandboxServer
from tests.reliability.api_harness import (
    ACCOUNT,
    COMPLETIONS,
    completion,
    course,
    headers,
    sandbox_api,
    serving,
)
from tests.reliability.harness import RecordedSleeps

IN_FLIGHT = 32
"""Posts in flight at once: the client's bound."""
DELIVERERS = 16
"""Outbox workers draining at once after the burst, as that many ``wlc serve`` processes would: each entry is
claimed by one of them (a lease), and each is a different learner and course, so they never race."""
COURSES = tuple(f"LOAD-{n:03d}" for n in range(5))
COMPLETED = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Post:
    learner: str
    course: str
    body: dict[str, Any]


def plan_posts(config: SandboxConfig, total: int, distinct: int) -> list[Post]:
    """``total`` posts of ``distinct`` completions, each of another learner (the sandbox's workers) or course,
    posted in turn: the second round on sends each again, as clients retrying would, and gets the same entry."""
    completions = [
        Post(
            learner=worker_at(config, n // len(COURSES)).employee_id,
            course=COURSES[n % len(COURSES)],
            body=completion(COURSES[n % len(COURSES)], COMPLETED + timedelta(minutes=n)),
        )
        for n in range(distinct)
    ]
    return [completions[n % distinct] for n in range(total)]


@dataclass(frozen=True, slots=True)
class Burst:
    statuses: Counter[int]
    ids: dict[tuple[str, str], set[str]]
    probes: Counter[int]
    seconds: float


def _burst(base: str, auth: dict[str, str], posts: list[Post]) -> Burst:
    """The posts from ``IN_FLIGHT`` threads, each with a client of its own, while another thread probes
    ``/healthz`` one request after another until the last post is answered, and once more after it."""
    statuses: Counter[int] = Counter()
    ids: dict[tuple[str, str], set[str]] = {}
    probes: Counter[int] = Counter()
    lock = threading.Lock()
    clients = threading.local()
    done = threading.Event()
    made: list[httpx.Client] = []

    def post(one: Post) -> None:
        if not hasattr(clients, "client"):
            clients.client = httpx.Client(base_url=base, timeout=120)
            with lock:
                made.append(clients.client)
        response = clients.client.post(COMPLETIONS.format(one.learner), json=one.body, headers=auth)
        with lock:
            statuses[response.status_code] += 1
            if response.status_code == 202:
                ids.setdefault((one.learner, one.course), set()).add(response.json()["id"])

    def probe(client: httpx.Client) -> None:
        status = client.get("/healthz").status_code
        with lock:
            probes[status] += 1

    def prober() -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            while not done.is_set():
                probe(client)
            probe(client)

    probing = threading.Thread(target=prober, name="health-prober")
    probing.start()
    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix="poster") as pool:
            list(pool.map(post, posts))
    finally:
        seconds = time.perf_counter() - started
        done.set()
        probing.join()
        for client in made:
            client.close()
    return Burst(statuses, ids, probes, seconds)


def _deliver(deps: ApiDependencies) -> tuple[int, float]:
    """Every entry delivered by ``DELIVERERS`` outbox workers at once; how many they handled, and in how long."""
    handled: list[int] = []
    lock = threading.Lock()

    def drain() -> None:
        count = Drain(
            deps.outbox, lambda: deps.tenants.names, lambda n: deps.tenants.get(n).deliver_completion(), deps.clock
        ).drain(limit=1_000_000)
        with lock:
            handled.append(count)

    started = time.perf_counter()
    threads = [threading.Thread(target=drain, name=f"deliverer-{n}") for n in range(DELIVERERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(handled), time.perf_counter() - started


def burst_then_deliver(tmp_path: Path, total: int, distinct: int) -> None:
    """Posts ``total`` posts of ``distinct`` completions through the API while probing ``/healthz``; asserts
    every post was accepted, every probe answered, and, after the outbox is delivered, that Workday holds exactly
    one completed enrollment for each learner and course posted (and no other)."""
    learners = distinct // len(COURSES) + 1
    config = SandboxConfig(workers=learners, seed=61, completions=0, soap_rate_limit=None, seed_lumiq=False)
    posts = plan_posts(config, total, distinct)
    with SandboxServer(config) as sandbox:
        deps = sandbox_api(sandbox, f"sqlite:///{tmp_path / 'ledger.sqlite3'}", RecordedSleeps(), SystemClock())
        app = create_app(deps)
        with serving(app) as base:
            auth = headers(deps, datetime.now(UTC))
            for reference in COURSES:
                created = httpx.put(f"{base}/unified/lms/content", json=course(reference), headers=auth, timeout=60)
                assert created.status_code == 201, created.text
            burst = _burst(base, auth, posts)
            delivered, delivery_seconds = _deliver(deps)
            entries = list(deps.outbox.entries(ACCOUNT))

        courses = {reference: sandbox.learning.course(reference) for reference in COURSES}
        wids = {found.wid: reference for reference, found in courses.items() if found is not None}
        live = sandbox.enrollments.enrollments(include_rescinded=False)
        enrollments = Counter((e.learner_employee_id, wids[e.course_wid]) for e in live)
        pairs = {(p.learner, p.course) for p in posts}
        print(
            f"\nload: {total} posts, {IN_FLIGHT} in flight, in {burst.seconds:.1f} s "
            f"({total / burst.seconds:.0f}/s): answered {dict(burst.statuses)}; {len(pairs)} distinct completions; "
            f"{sum(burst.probes.values())} health checks during and after it, answered {dict(burst.probes)}; "
            f"{delivered} delivered by {DELIVERERS} outbox workers in {delivery_seconds:.1f} s; "
            f"{sum(e.status == 'Completed' for e in live)} completed enrollments of {len(live)} in Workday"
        )

        assert burst.statuses == Counter({202: total}), "a post was not accepted"
        assert set(burst.probes) == {200}, "a health check was not answered"
        assert all(len(found) == 1 for found in burst.ids.values()), "a completion posted again got a second entry"
        assert set(burst.ids) == pairs
        assert len(entries) == len(pairs) == delivered
        assert {entry.status for entry in entries} == {OutboxStatus.DELIVERED}
        assert enrollments == Counter(dict.fromkeys(pairs, 1)), "an enrollment missing, doubled or unexpected"
        assert all(e.status == "Completed" for e in live)
