"""Everything the running sandbox holds, shared by its endpoints and inspected by tests."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sandbox.clock import SandboxClock
from sandbox.config import SandboxConfig
from sandbox.faults import Faults
from sandbox.faults.rate_limit import SandboxThrottle
from sandbox.lumiq.completion_store import CompletionStore
from sandbox.lumiq.completions import initial_feed
from sandbox.lumiq.member_store import MemberStore
from sandbox.population import initial_members
from sandbox.request_counts import RequestCounts
from sandbox.workday.learning.courses import CourseStore
from sandbox.workday.learning.enrollments import EnrollmentStore
from sandbox.workday.learning.store import LearningTenants
from sandbox.workday.oauth.tokens import TokenIssuer
from sandbox.workday.soap.served_wsdl import ServedWsdl, sourced_wsdl
from sandbox.workday.tenants import PerTenant
from sandbox.workday.wsdl_variants import SERVICES, WsdlVariant, variant_named


@dataclass(frozen=True, slots=True)
class SandboxState:
    config: SandboxConfig
    clock: SandboxClock
    tokens: TokenIssuer
    lumiq: MemberStore
    counts: RequestCounts
    rng: random.Random
    learning: LearningTenants
    soap_limiter: SandboxThrottle
    completions: CompletionStore
    courses: PerTenant[CourseStore]
    enrollments: PerTenant[EnrollmentStore]
    wsdls: Mapping[str, ServedWsdl]
    """Each service's WSDL as served, by service name (``Learning``, ``Talent``): the config's variant, applied
    once."""

    @classmethod
    def create(cls, config: SandboxConfig) -> SandboxState:
        clock = SandboxClock(config.today)
        rng = random.Random(config.seed)
        courses = PerTenant(lambda tenant: CourseStore(tenant, config))
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
            soap_limiter=SandboxThrottle(config.soap_rate_limit),
            completions=CompletionStore(initial_feed(config), clock),
            courses=courses,
            enrollments=PerTenant(lambda tenant: EnrollmentStore(tenant, config, clock, courses.tenant(tenant))),
            wsdls=served_wsdls(variant_named(config.wsdl_variant)),
        )

    @property
    def faults(self) -> Faults:
        return self.config.faults


def served_wsdls(variant: WsdlVariant) -> Mapping[str, ServedWsdl]:
    """Each service's WSDL with ``variant``'s changes applied."""
    return MappingProxyType({name: ServedWsdl(name, sourced_wsdl(name), variant.of(name)) for name in SERVICES})
