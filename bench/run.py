"""``make bench``: every benchmark, each measurement in a fresh process, one table printed and written to
docs/benchmarks.md with the machine it ran on. Pass ``--quick`` for smaller sizes (a smoke run)."""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench.support import Figure, run_isolated, sandbox_process


def _raas(rows: int, figures: list[Figure]) -> None:
    with sandbox_process(workers=rows, completions=0, seed_lumiq=False) as base:
        for fmt in ("json", "workday_xml"):
            streamed = run_isolated("bench.raas_read", base, fmt, "streamed")
            seconds, peak = float(streamed["seconds"]), float(streamed["peak_mb"])  # type: ignore[arg-type]
            baseline = ""
            if fmt == "json":
                naive = run_isolated("bench.raas_read", base, fmt, "naive")
                baseline = f"whole-body parse: {float(naive['seconds']):.1f} s, {float(naive['peak_mb']):.0f} MB"  # type: ignore[arg-type]
            target_met = seconds < 20 and peak < 250 if (fmt == "json" and rows >= 1_000_000) else None
            figures.append(
                Figure(
                    f"RaaS read, {rows:,} rows, {fmt}",
                    "streamed from the sandbox (own process) through RaasWorkerDirectory into Workers",
                    f"{seconds:.1f} s, {rows / seconds:,.0f} rows/s, peak {peak:.0f} MB",
                    "1M JSON rows < 20 s, peak < 250 MB",
                    target_met,
                    baseline,
                )
            )


def tenant_memory(quick: bool) -> Figure:
    """What one more tenant on the same Workday version costs in memory (``bench.tenant_memory``)."""
    tenants = 10 if quick else 50
    memory = run_isolated("bench.tenant_memory", str(tenants))
    traced, rss = float(memory["shared_traced_kb_per_tenant"]), float(memory["shared_rss_kb_per_tenant"])  # type: ignore[arg-type]
    return Figure(
        f"Memory per added tenant, {tenants} tenants on one Learning version",
        "Learning clients built one after another against the sandbox (own process), each kept alive, measured "
        "after the first (which parses the WSDL): Python's allocations (tracemalloc) and the resident set",
        f"{traced:,.1f} KB allocated, {rss:,.1f} KB resident per added tenant (the parsed WSDL shared)",
        "< 1 MB per added tenant on the same version",
        bool(memory["met"]),
        f"each tenant parsing its own WSDL: {float(memory['unshared_traced_kb_per_tenant']):,.0f} KB allocated, "  # type: ignore[arg-type]
        f"{float(memory['unshared_rss_kb_per_tenant']):,.0f} KB resident",  # type: ignore[arg-type]
    )


def delivery_cpu(quick: bool) -> Figure:
    """The client's CPU per Workday request of a delivery (``bench.delivery_cpu``)."""
    completions = 500 if quick else 3000
    cpu = run_isolated("bench.delivery_cpu", str(completions))
    ms, rate = float(cpu["cpu_ms_per_request"]), float(cpu["requests_per_second"])  # type: ignore[arg-type]
    return Figure(
        f"Client CPU per Workday request of a delivery, {completions:,} completions",
        "wlc transcripts sync through the application container against a sandbox in its own process (no latency, "
        "no limit of its own): the imported-learning Puts through the Learning SOAP adapter, the tenant's request "
        "budget (SQLite) and the delivery ledger; this process's CPU, every thread, from the plan to the run's end",
        f"{ms:.2f} ms CPU per request, {rate:,.0f} requests/s ({cpu['requests']} requests)",
        "<= 1 ms CPU per request",
        ms <= 1 if not quick else None,
    )


def completion_push_cpu(quick: bool) -> Figure:
    """The client's CPU per Workday request of a completion pushed as a runtime session pushes it
    (``bench.delivery_cpu pushes``)."""
    completions = 200 if quick else 1000
    cpu = run_isolated("bench.delivery_cpu", "pushes", str(completions), "10")
    ms, rate = float(cpu["cpu_ms_per_request"]), float(cpu["requests_per_second"])  # type: ignore[arg-type]
    return Figure(
        f"Client CPU per Workday request of a completion push, {completions:,} completions, 10 courses",
        "push_completion through the application container against a sandbox in its own process (no latency, no "
        "limit of its own): the catalog read, the learner's enrollments and Put_Learning_Enrollment through the "
        "Learning SOAP adapter and the tenant's request budget (SQLite); this process's CPU after the first push",
        f"{ms:.2f} ms CPU per request, {rate:,.0f} requests/s ({float(cpu['cpu_ms_per_completion']):.1f} ms per "  # type: ignore[arg-type]
        "completion)",
        "<= 1 ms CPU per request",
        ms <= 1 if not quick else None,
    )


def request_budget(quick: bool) -> list[Figure]:
    """The shared request budget on each store (``bench.request_budget``): a slot's cost, and the rate achieved
    against the limit by 3 processes with a backlog, for 1 tenant and for 200."""
    seconds = "6" if quick else "12"
    costs, single, many, missing = [], [], [], []
    for store in ("sqlite", "postgresql", "redis"):
        reason = run_isolated("bench.request_budget", "unavailable", store)["unavailable"]
        if reason:
            missing.append(str(reason))
            continue
        cost = run_isolated("bench.request_budget", "cost", store, "1000" if quick else "5000")
        costs.append(f"{store} {float(cost['wall_us']):,.0f} µs wall, {float(cost['cpu_us']):,.0f} µs CPU")  # type: ignore[arg-type]
        single.append(run_isolated("bench.request_budget", "rate", store, "1", "5", "3", seconds, "shared"))
        many.append(run_isolated("bench.request_budget", "rate", store, "200", "5", "3", seconds, "partitioned"))

    def shares(runs: list[dict[str, object]], cpu: bool = False) -> str:
        return "; ".join(
            f"{r['store']} {float(r['share_of_limits']):.1%} ({float(r['achieved_per_second']):,.1f}/s), busiest "  # type: ignore[arg-type]
            f"second {r['busiest_second']}, {r['tenants_over']} over"
            + (f", {float(r['cpu_us_per_slot']):,.0f} µs CPU per slot" if cpu else "")  # type: ignore[arg-type]
            for r in runs
        )

    within = all(r["tenants_over"] == 0 for r in (*single, *many))
    note = f"not measured: {'; '.join(missing)}" if missing else ""
    return [
        Figure(
            "Shared request budget: a slot's cost",
            "one process taking slots round 200 tenants, each slot one transaction (SQLite file, PostgreSQL) or "
            "one Lua script (Redis) on this machine; the process's own CPU",
            "; ".join(costs),
            "n/a",
            None,
            note,
        ),
        Figure(
            "Shared request budget, 1 tenant at 5 requests/s, 3 processes, and an upsert amid them",
            "3 worker processes, 4 threads each, taking the tenant's slots back to back (background); halfway, a "
            "4th process makes 10 interactive requests one after the other (the rate counts the 1.03 s that "
            "delivery yields after them)",
            shares(single)
            + "; interactive amid the backlog: "
            + "; ".join(
                f"{r['store']} {float(r['interactive_share_of_limit']):.1%} of the limit, first wait "  # type: ignore[arg-type]
                f"{float(r['interactive_first_wait_ms']):.0f} ms, later ones at most "  # type: ignore[arg-type]
                f"{float(r['interactive_longest_later_wait_ms']):.0f} ms"  # type: ignore[arg-type]
                for r in single
            ),
            "no second above the limit; interactive requests at the full rate (97.1%: spread over 1.03 s)",
            within and all(float(r["interactive_share_of_limit"]) >= 0.95 for r in single) if not quick else None,  # type: ignore[arg-type]
        ),
        Figure(
            "Shared request budget, 200 tenants at 5 requests/s, 3 processes",
            "each tenant's backlog on one of 3 worker processes (as sessions run), one thread per tenant; the "
            "rate summed over the tenants, CPU of the 3 processes per slot",
            shares(many, cpu=True),
            "0 tenants over their limit in any second; >= 90% of the sum of the limits",
            within and all(float(r["share_of_limits"]) >= 0.9 for r in many) if not quick else None,  # type: ignore[arg-type]
        ),
    ]


def runtime_scale(quick: bool) -> list[Figure]:
    """The runtime on PostgreSQL with 3 workers (``bench.runtime_scale``): rate and busiest seconds of 200 tenants
    with a backlog, the aggregate with 1 and 2 workers, and a worker idle with 500 tenants."""
    # 90 s: the tick starts the 200 sessions one enqueue at a time, which on a busy machine takes most of a minute
    tenants, seconds = ("20", "10") if quick else ("200", "90")
    # quick: the workers look for work as the tests' do, since a run of 10 s is shorter than the default tick
    pace = ("0.2", "1") if quick else ()
    runs = {w: run_isolated("bench.runtime_scale", "load", tenants, str(w), seconds, *pace) for w in (3, 2, 1)}
    if "unavailable" in runs[3]:
        return [Figure("Runtime at scale", "not measured", str(runs[3]["unavailable"]), "n/a", None)]
    idle = {n: run_isolated("bench.runtime_scale", "idle", str(n), "10" if quick else "20") for n in (10, 500)}
    three = runs[3]
    share = float(three["share_of_limits"])  # type: ignore[arg-type]
    per_tenant = (int(idle[500]["rss_kb"]) - int(idle[10]["rss_kb"])) / 490  # type: ignore[call-overload]
    cpu = float(idle[500]["cpu_share_of_core"])  # type: ignore[arg-type]
    return [
        Figure(
            f"Runtime, {tenants} tenants at 5 requests/s with a backlog, 3 workers on PostgreSQL",
            "wlc worker processes (the settings' defaults) delivering each tenant's outbox to one sandbox (a process "
            f"of its own) playing every tenant's Workday, limited to 5/s each; {seconds} s, the rate over the second "
            "half; the workers' CPU",
            f"busiest second {three['busiest_second']}, {three['tenants_over']} tenants over; "
            f"{float(three['requests_per_second']):,.0f} requests/s = {share:.1%} of the sum of the limits; "  # type: ignore[arg-type]
            f"{float(three['cpu_ms_per_delivered']):.1f} ms worker CPU per delivered completion "  # type: ignore[arg-type]
            f"({float(three['cpu_ms_per_request']):.1f} ms per request); 429s {three['refused_429']}",  # type: ignore[arg-type]
            "0 over; >= 90% of the sum of the limits",
            three["tenants_over"] == 0 and share >= 0.9 if not quick else None,
            "; ".join(
                f"{w} worker{'s' if w > 1 else ''}: {float(runs[w]['share_of_limits']):.1%}, "  # type: ignore[arg-type]
                f"{runs[w]['tenants_over']} over, {float(runs[w]['cpu_ms_per_request']):.1f} ms CPU per request, "  # type: ignore[arg-type]
                f"workers {float(runs[w]['workers_cpu_cores']):.2f} cores, "  # type: ignore[arg-type]
                f"sandbox {float(runs[w]['sandbox_cpu_cores']):.2f}"  # type: ignore[arg-type]
                for w in (1, 2, 3)
            ),
        ),
        Figure(
            "Runtime idle, 500 tenants, nothing due",
            f"one wlc worker, tick every {idle[500]['tick_seconds']} s, queues polled every "
            f"{idle[500]['queue_polling_seconds']} s (the settings' defaults); its CPU over the run after 5 s to "
            "settle, and its resident set against the same worker with 10 tenants",
            f"{cpu:.1%} of a core; {per_tenant:,.1f} KB resident per added tenant "
            f"({int(idle[10]['rss_kb']) / 1024:,.0f} MB with 10, {int(idle[500]['rss_kb']) / 1024:,.0f} MB with 500)",  # type: ignore[call-overload]
            "< 2% of a core",
            cpu < 0.02 if not quick else None,
        ),
    ]


def main(quick: bool) -> None:
    figures: list[Figure] = []
    for rows in (10_000,) if quick else (100_000, 1_000_000):
        _raas(rows, figures)

    size = 100_000 if quick else 1_000_000
    plan = run_isolated("bench.membership_plan", str(size))
    seconds = float(plan["seconds"])  # type: ignore[arg-type]
    figures.append(
        Figure(
            f"Membership planning, {size:,} workers vs {size:,} members, 2% changes",
            "plan_membership with the cyclic GC paused, as PlanMembership runs it",
            f"{seconds:.2f} s ({plan['invite']} invites, {plan['update']} updates, {plan['remove']} removals)",
            "< 5 s",
            seconds < 5 if size == 1_000_000 else None,
        )
    )

    completions = 200 if quick else 3000
    delivery = run_isolated("bench.transcript_delivery", str(completions), "300", "10")
    rate = float(delivery["rate"])  # type: ignore[arg-type]
    busiest = int(delivery["busiest_second"])  # type: ignore[call-overload]
    figures.append(
        Figure(
            f"Transcript delivery, {completions:,} completions",
            "sandbox latency 300 ms, limit 10 requests/s, through the real SOAP adapter",
            f"{rate:.2f} requests/s ({rate / 10:.1%} of the limit), busiest second {busiest}, "
            f"throttled {delivery['throttled']}",
            ">= 95% of the limit, no second above it",
            rate >= 9.5 and busiest <= 10 if not quick else None,
            f"sequential: {float(delivery['sequential_rate']):.2f} requests/s",  # type: ignore[arg-type]
        )
    )

    figures.append(delivery_cpu(quick))
    figures.append(completion_push_cpu(quick))

    posts = 1000 if quick else 20_000
    capacity = {w: run_isolated("bench.api_ingestion", "closed", "0", str(posts), "32", str(w)) for w in (1, 2)}
    at_rate = {w: run_isolated("bench.api_ingestion", "open", "1000", str(posts), "64", str(w)) for w in (1, 2)}
    best, other = capacity[1], capacity[2]
    steady = at_rate[1]
    per_second, p99 = float(best["per_second"]), float(steady["p99_ms"])  # type: ignore[arg-type]
    runs = (*capacity.values(), *at_rate.values())
    in_ledger = all(r["in_outbox"] == r["accepted"] == r["posted"] for r in runs)
    refused = sum(int(r["not_accepted"]) for r in runs)  # type: ignore[call-overload]
    figures.append(
        Figure(
            "API ingestion",
            f"wlc serve (1 API process, wlc deliver delivering to the sandbox meanwhile), load generator on the same "
            f"2 cores: capacity with 32 connections posting back to back ({posts:,} posts); latency with {posts:,} "
            f"posts arriving at 1,000/s on up to 64 connections, after {float(steady['warm_up_seconds']):g} s of "  # type: ignore[arg-type]
            "warm-up",
            f"capacity {per_second:,.0f} accepted/s; at 1,000/s: p50 {float(steady['p50_ms']):.1f} ms, "  # type: ignore[arg-type]
            f"p99 {p99:.1f} ms, max {float(steady['max_ms']):.0f} ms (warm-up p99 "  # type: ignore[arg-type]
            f"{float(steady['warm_up_p99_ms']):.0f} ms); posts not accepted: {refused}; every post accepted and in "  # type: ignore[arg-type]
            f"the outbox: {in_ledger}",
            ">= 1,000/s, p99 < 50 ms, every one in the ledger",
            per_second >= 1000 and p99 < 50 and in_ledger if not quick else None,
            f"--workers 2: capacity {float(other['per_second']):,.0f}/s; at 1,000/s p99 "  # type: ignore[arg-type]
            f"{float(at_rate[2]['p99_ms']):.1f} ms, max {float(at_rate[2]['max_ms']):.0f} ms",  # type: ignore[arg-type]
        )
    )

    figures.append(tenant_memory(quick))
    figures += request_budget(quick)
    figures += runtime_scale(quick)

    start = run_isolated("bench.cli_start", "5")
    helps, plans = float(start["help"]), float(start["plan"])  # type: ignore[arg-type]
    figures.append(
        Figure(
            "CLI start",
            "median of 5, time to first output",
            f"wlc --help {helps:.2f} s; wlc membership plan (tiny report) {plans:.2f} s",
            "< 1 s to first output",
            helps < 1 and plans < 1,
        )
    )
    _report(figures, quick)


def _report(figures: list[Figure], quick: bool) -> None:
    lines = [
        "| what | how | measured | baseline (same run) | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for f in figures:
        met = "n/a" if f.met is None else ("yes" if f.met else "**no**")
        lines.append(f"| {f.what} | {f.how} | {f.measured} | {f.baseline} | {f.target} | {met} |")
    table = "\n".join(lines)
    print(table)
    if quick:
        return
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    document = f"""# Benchmarks

Run with `make bench` ({datetime.now(UTC):%Y-%m-%d}, {machine}). Each figure is measured in a fresh process;
the sandbox runs in a process of its own for the RaaS reads (so the reader's peak memory is its own) and
in-process for transcript delivery (at 10 requests/s it is idle most of the time). Benchmarks print figures;
the tests never assert on time.

{table}

To repeat: `make bench` (about ten minutes), or `.venv/bin/python -m bench.run --quick` for a smoke run.
"""
    path = Path("docs/benchmarks.md")
    kept = path.read_text(encoding="utf-8").partition(NOTES)[2] if path.exists() else ""
    path.write_text(document + (f"\n{NOTES}{kept}" if kept else ""), encoding="utf-8")


NOTES = "<!-- written by hand: make bench keeps what follows -->"


if __name__ == "__main__":
    main("--quick" in sys.argv)
