"""Everything the running sandbox holds, shared by its endpoints and inspected by tests."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sandbox.clock import SandboxClock
from sandbox.completion_store import CompletionStore
from sandbox.completions import initial_feed
from sandbox.config import SandboxConfig
from sandbox.faults import Faults
from sandbox.learning_catalog import LearningCatalogs
from sandbox.learning_store import LearningTenants
from sandbox.lumiq_store import MemberStore
from sandbox.population import initial_members
from sandbox.rate_limit import RateLimiter
from sandbox.request_counts import RequestCounts
from sandbox.tokens import TokenIssuer


@dataclass(frozen=True, slots=True)
class SandboxState:
    config: SandboxConfig
    clock: SandboxClock
    tokens: TokenIssuer
    lumiq: MemberStore
    counts: RequestCounts
    rng: random.Random
    learning: LearningTenants
    soap_limiter: RateLimiter
    completions: CompletionStore
    catalog: LearningCatalogs

    @classmethod
    def create(cls, config: SandboxConfig) -> SandboxState:
        clock = SandboxClock(config.today)
        rng = random.Random(config.seed)
        return cls(
            config=config,
            clock=clock,
            tokens=TokenIssuer(config, clock, random.Random(rng.getrandbits(64))),
            lumiq=MemberStore(
                initial_members(config) if config.seed_lumiq else (), clock, random.Random(rng.getrandbits(64))
            ),
            counts=RequestCounts(),
            rng=rng,
            learning=LearningTenants(config.seed),
            soap_limiter=RateLimiter(config.soap_rate_limit),
            completions=CompletionStore(initial_feed(config), clock),
            catalog=LearningCatalogs(config, clock),
        )

    @property
    def faults(self) -> Faults:
        return self.config.faults
