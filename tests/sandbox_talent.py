"""The sandbox's Talent service as the connector reads it: ``WorkdaySkills`` over a Talent client made on first
use, with the sandbox's ISU credentials and the tenant's limiter."""

from __future__ import annotations

from pydantic import SecretStr

from adapters.retries import RetryPolicy
from adapters.workday.auth.credentials import IsuCredentials
from adapters.workday.rate_limiter import TenantRateLimiter
from adapters.workday.talent.client import build_talent_client
from adapters.workday.talent.skills import WorkdaySkills
from sandbox.server import SandboxServer


def sandbox_skills(
    sandbox: SandboxServer, limiter: TenantRateLimiter | None = None, retry: RetryPolicy | None = None
) -> WorkdaySkills:
    config = sandbox.config
    auth = IsuCredentials(config.isu_username, config.tenant, SecretStr(config.isu_password))
    return WorkdaySkills(lambda: build_talent_client(sandbox.talent_url(), auth, limiter=limiter), retry=retry)
