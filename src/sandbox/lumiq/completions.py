"""The provider's completions as docs/lumiq-api.md "Completions" serves them, and the seeded feed it starts with.

The feed holds ``config.completions`` completions of a few dozen episodes, over the 90 days before ``today``:

* learners are members with a Workday identity drawn from the population, except 1% drawn from the members
  invited by hand (``member.employee_id`` null: held back by the connector) and 0.5% drawn from the gone members
  (their employee ID is no worker's: Workday must refuse them). The first completion is always one of those;
* 8% failed; 0.5% of the passed ones were revoked later and appear twice in the feed (passed, then revoked);
* ``completed_at`` carries the learner's zone (eight zones, Pacific the commonest); 12% fall within an hour of the
  learner's midnight and 10% within an hour of the tenant's (``config.timezone``), so the tenant-zone date often
  differs from the UTC date and from the learner's;
* ``updated_at`` is in UTC, seconds to minutes after ``completed_at``; the feed is ordered by it, then by id.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sandbox.config import SandboxConfig
from sandbox.lumiq.episodes import EPISODES, Episode
from sandbox.lumiq.member import LumiqMember
from sandbox.population import gone_member, gone_member_count, manual_members, worker_at

CompletionStatus = Literal["passed", "failed"]

LEARNER_ZONES = (
    ("America/Los_Angeles", 5),
    ("America/Denver", 1),
    ("America/Chicago", 2),
    ("America/New_York", 3),
    ("America/Toronto", 2),
    ("Europe/London", 1),
    ("Asia/Kolkata", 1),
    ("Pacific/Honolulu", 1),
)
_NOT_A_WORKER_EVERY = 200  # 0.5%
_NO_IDENTITY_EVERY = 100  # 1%
_FAILED = (7, 19)  # of every 25: 8%
_REVOKED_EVERY = 200  # 0.5%


@dataclass(frozen=True, slots=True)
class CompletionMember:
    id: str
    employee_id: str | None
    workday_wid: str | None

    @classmethod
    def of(cls, member: LumiqMember) -> CompletionMember:
        return cls(member.id, member.employee_id, member.workday_wid)

    def to_json(self) -> dict[str, str | None]:
        return {"id": self.id, "employee_id": self.employee_id, "workday_wid": self.workday_wid}


@dataclass(frozen=True, slots=True)
class Completion:
    """One entry of the feed: a completion in one of its states."""

    id: str
    member: CompletionMember
    episode: Episode
    status: CompletionStatus
    completed_at: datetime
    updated_at: datetime
    revoked: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "member": self.member.to_json(),
            "episode": self.episode.to_json(),
            "status": self.status,
            "completed_at": self.completed_at.isoformat(),
            "revoked": self.revoked,
            "updated_at": self.updated_at.astimezone(UTC).isoformat(),
        }


def completion_id(seed: int, index: int) -> str:
    return f"cmp_{hashlib.blake2b(f'{seed}:completion:{index}'.encode(), digest_size=6).hexdigest()}"


def initial_feed(config: SandboxConfig) -> list[Completion]:
    """The feed the provider starts with, in feed order (``updated_at``, then id)."""
    if config.workers == 0:
        return []
    rng = random.Random(f"{config.seed}:completions")
    now = datetime.combine(config.today, time(12, 0), UTC)
    tenant_zone = ZoneInfo(config.timezone)
    entries: list[Completion] = []
    seen: set[str] = set()
    for index in range(config.completions):
        cid = completion_id(config.seed, index)
        while cid in seen:  # a 48-bit collision: astronomically rare, still handled
            cid = f"{cid}x"
        seen.add(cid)
        failed = index % 25 in _FAILED
        completed_at = _completed_at(rng, now, tenant_zone)
        completion = Completion(
            id=cid,
            member=_learner(config, rng, index),
            episode=rng.choice(EPISODES),
            status="failed" if failed else "passed",
            completed_at=completed_at,
            updated_at=(completed_at + timedelta(seconds=rng.randint(5, 900))).astimezone(UTC),
        )
        entries.append(completion)
        if not failed and index % _REVOKED_EVERY == _REVOKED_EVERY // 2:
            later = min(completion.updated_at + timedelta(days=rng.uniform(1, 5)), now - timedelta(minutes=10))
            entries.append(Completion(**{**_fields(completion), "revoked": True, "updated_at": later}))
    return sorted(entries, key=lambda entry: (entry.updated_at, entry.id))


def _fields(completion: Completion) -> dict[str, Any]:
    return {name: getattr(completion, name) for name in Completion.__slots__}


def _learner(config: SandboxConfig, rng: random.Random, index: int) -> CompletionMember:
    if index % _NOT_A_WORKER_EVERY == 0:
        return CompletionMember.of(gone_member(config, rng.randrange(gone_member_count(config))))
    if index % _NO_IDENTITY_EVERY == _NO_IDENTITY_EVERY // 2:
        return CompletionMember.of(rng.choice(manual_members(config)))
    for _ in range(100):
        member = worker_at(config, rng.randrange(config.workers)).initial_member()
        if member is not None:
            return CompletionMember.of(member)
    return CompletionMember.of(gone_member(config, 0))  # a population with (almost) no members


def _completed_at(rng: random.Random, now: datetime, tenant_zone: ZoneInfo) -> datetime:
    zones, weights = zip(*LEARNER_ZONES, strict=True)
    learner_zone = ZoneInfo(rng.choices(zones, weights)[0])
    day = (now - timedelta(days=rng.uniform(0.1, 90))).date()
    kind = rng.random()
    if kind < 0.12:
        moment = _near_midnight(rng, day, learner_zone)
    elif kind < 0.22:
        moment = _near_midnight(rng, day, tenant_zone).astimezone(learner_zone)
    else:
        local = time(rng.randint(7, 21), rng.randint(0, 59), rng.randint(0, 59))
        moment = datetime.combine(day, local, learner_zone)
    while moment > now - timedelta(hours=1):
        moment -= timedelta(days=1)
    return moment


def _near_midnight(rng: random.Random, day: date, zone: ZoneInfo) -> datetime:
    midnight = datetime.combine(day, time(0, 0), zone)
    return midnight + timedelta(seconds=rng.randint(-3600, 3600))
