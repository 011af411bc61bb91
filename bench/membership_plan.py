"""Membership planning at scale: N workers against N members, 2% of them changed. Prints JSON."""

from __future__ import annotations

import json
import sys
import time
from datetime import date, timedelta

from app.use_cases.gc_pause import gc_paused
from bench.support import peak_rss_mb
from domain.members import Member, MemberStatus
from domain.membership_plan import plan_membership
from domain.removal_guard import RemovalPolicy
from domain.workers import Worker


def main(size: int) -> None:
    today = date(2026, 11, 23)
    workers, members = [], []
    for n in range(size):
        wid, employee_id = f"{n:032x}", str(100000 + n)
        changed = n % 50 == 0  # 2%: a new last name, a termination, a leaver or a joiner in turn
        kind = (n // 50) % 4 if changed else -1
        if kind != 3:
            termination = today - timedelta(days=1) if kind == 1 else None
            workers.append(Worker(wid, employee_id, "Ada", "Lovelace", termination))
        if kind != 2:
            members.append(
                Member(f"mem_{n}", MemberStatus.ACTIVE, "Ada", "Byron" if kind == 0 else "Lovelace", wid, employee_id)
            )
    started = time.monotonic()
    with gc_paused():  # as the PlanMembership use case plans
        plan = plan_membership(workers, members, today, RemovalPolicy(max_removal_share=1.0))
    seconds = time.monotonic() - started
    summary = {"invite": len(plan.invites), "update": len(plan.updates), "remove": len(plan.removals)}
    print(json.dumps({"seconds": seconds, "peak_mb": peak_rss_mb(), **summary}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
