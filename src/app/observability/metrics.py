"""The connector's Prometheus metrics (``prometheus-client``), and their exposition for ``GET /metrics``.

Where several processes serve (``wlc serve --workers N`` and the ``wlc worker`` beside it), each writes its samples
to files in ``PROMETHEUS_MULTIPROC_DIR`` and a scrape of any one of them sums every process's (the client's
multiprocess mode). ``wlc serve`` sets that directory up and empties it at start (``prepare_multiprocess_dir``); the
variable must be set before this module is first imported, so it is imported only where a metric is recorded or
served. The outbox's figures are not samples: they are read from the ledger at each scrape
(``OutboxCollector``)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator
from datetime import datetime
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector

from domain.ports.outbox_health import OutboxHealth

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"

RUNS = Counter("wlc_runs", "Runs that ended, by tenant, kind and outcome.", ["tenant", "kind", "outcome"])
WORKDAY_REQUESTS = Counter(
    "wlc_workday_requests",
    "HTTP requests to Workday (SOAP, REST, RaaS, OAuth), by tenant, operation and status ('error' when no answer "
    "came).",
    ["tenant", "operation", "status"],
)
WORKDAY_SECONDS = Histogram(
    "wlc_workday_request_seconds",
    "Time from sending a request to Workday to its answer (the wait for a slot of the rate limit excluded).",
    ["tenant", "operation"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0),
)
WORKDAY_THROTTLED = Counter("wlc_workday_throttled", "Workday's 429 answers, by tenant.", ["tenant"])
WORKDAY_RETRIES = Counter(
    "wlc_workday_retries", "Workday requests tried again after a failure that may pass, by tenant.", ["tenant"]
)
SCHEDULE_LAG = Gauge(
    "wlc_schedule_lag_seconds",
    "How late a scheduled run starts: its start (or now, while it waits) minus its due time, by tenant and kind.",
    ["tenant", "kind"],
    multiprocess_mode="mostrecent",
)
OUTBOX_DEPTH = "wlc_outbox_depth"
OUTBOX_OLDEST_AGE = "wlc_outbox_oldest_pending_age_seconds"


def observe_run(tenant: str, kind: str, outcome: str) -> None:
    RUNS.labels(tenant, kind, outcome).inc()


def observe_workday_request(tenant: str, operation: str, status: int | None, seconds: float) -> None:
    """One request to Workday: its answer's status (None when none came) and how long it took."""
    WORKDAY_REQUESTS.labels(tenant, operation, "error" if status is None else str(status)).inc()
    WORKDAY_SECONDS.labels(tenant, operation).observe(seconds)
    if status == 429:
        WORKDAY_THROTTLED.labels(tenant).inc()


def observe_retry(tenant: str) -> None:
    WORKDAY_RETRIES.labels(tenant).inc()


def observe_schedule_lag(tenant: str, kind: str, seconds: float) -> None:
    """How late the scheduled run of ``kind`` is for ``tenant``: now minus the due time of its oldest run that
    is due but not started, or, as it starts, its start minus its due time (0 once it is on time). For the
    scheduler to call at each tick and at each start."""
    SCHEDULE_LAG.labels(tenant, kind).set(max(seconds, 0.0))


class OutboxCollector(Collector):
    """Each tenant's pending completions and its oldest one's age, read from the ledger at each scrape (through
    the ``OutboxHealth`` port the status reads): a figure of the ledger, the same whichever process is asked."""

    def __init__(self, health: OutboxHealth, tenants: Callable[[], Collection[str]], now: Callable[[], datetime]):
        self._health = health
        self._tenants = tenants
        self._now = now

    @staticmethod
    def families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily(OUTBOX_DEPTH, "Completions waiting in the outbox, by tenant.", labels=["tenant"]),
            GaugeMetricFamily(
                OUTBOX_OLDEST_AGE,
                "Age of the oldest completion waiting in the outbox (0 when none), by tenant.",
                labels=["tenant"],
            ),
        )

    def collect(self) -> Iterator[Metric]:
        depth, age = self.families()
        names = sorted(self._tenants())
        now = self._now()
        for tenant, status in sorted(self._health.deliveries(names).items()):
            depth.add_metric([tenant], status.depth)
            oldest = status.oldest_pending
            age.add_metric([tenant], 0.0 if oldest is None else max((now - oldest).total_seconds(), 0.0))
        yield depth
        yield age


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROC_VARIABLE))


def exposition(*extra: Collector) -> tuple[bytes, str]:
    """The text a scrape answers (and its content type): every process's samples in multiprocess mode, else this
    process's, and ``extra`` collectors read now."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess():
        from prometheus_client import multiprocess as mp

        mp.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_ProcessSamples())
    for collector in extra:
        registry.register(collector)
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _ProcessSamples(Collector):
    """This process's own metrics (the default registry's), added to a registry of one scrape."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def prepare_multiprocess_dir(environ: dict[str, str] | None = None) -> Path:
    """The directory every process of ``wlc serve`` writes its samples to: ``PROMETHEUS_MULTIPROC_DIR`` when set,
    else a new one under the temporary directory (and the variable set to it, for the processes started after).
    Emptied first: files a previous run left would add its counts to this one's."""
    env = os.environ if environ is None else environ
    given = env.get(MULTIPROC_VARIABLE)
    if given:
        folder = Path(given)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="wlc-metrics-"))
        env[MULTIPROC_VARIABLE] = str(folder)
    return folder


_SAMPLED = (RUNS, WORKDAY_REQUESTS, WORKDAY_SECONDS, WORKDAY_THROTTLED, WORKDAY_RETRIES, SCHEDULE_LAG)


def documented() -> list[tuple[str, str, str]]:
    """Every metric as scraped (a counter's name with its ``_total``): name, type and help, for the README's
    table and the test that keeps the two alike."""
    rows = []
    for metric in _SAMPLED:
        for family in metric.describe():
            name = f"{family.name}_total" if family.type == "counter" else family.name
            rows.append((name, family.type, family.documentation))
    for family in OutboxCollector.families():
        rows.append((family.name, family.type, family.documentation))
    return rows
