"""Every Workday request a tenant's container sends, of every service (Learning and Talent over SOAP, the RaaS
report, the WSDLs), takes one slot of the application's budget store, with the process's priority; only the token
endpoint, which is not the tenant's API, takes none."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dependency_injector import providers

from adapters.budget import Pace, Priority
from adapters.budget.memory import InMemoryBudgetStore
from adapters.budget.rule import Decision
from adapters.budget.store import BudgetStore, unheard
from app.application import Application, build_application
from app.sandbox_settings import sandbox_settings
from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer


class CountingStore(BudgetStore):
    """This process's budgets, counting each slot taken by tenant and priority."""

    def __init__(self) -> None:
        self.taken: Counter[tuple[str, Priority]] = Counter()
        self._store = InMemoryBudgetStore()

    def take(self, tenant: str, pace: Pace, priority: Priority, *, asking: Callable[[], None] = unheard) -> Decision:
        self.taken[tenant, priority] += 1
        return self._store.take(tenant, pace, priority, asking=asking)

    def sent_late(self, tenant: str, slot: int, late: int) -> None:
        self._store.sent_late(tenant, slot, late)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(workers=30, completions=0, soap_rate_limit=None)) as server:
        yield server


def application(sandbox: SandboxServer, tmp_path: Path, store: CountingStore, role: Priority) -> Application:
    built = build_application(
        settings=sandbox_settings(sandbox.base_url, sandbox.config, f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    )
    built.budget_store.override(providers.Object(store))
    built.role.override(providers.Object(role))
    return built


RETAKING = ("adapters.budget.tenant_budget", "adapters.workday.rate_limiter")
"""The loggers telling of a slot left unused: a request held up past its slot (a loaded machine) takes another."""


def retakes(caplog: pytest.LogCaptureFixture) -> int:
    return sum(1 for record in caplog.records if record.name in RETAKING and "another" in record.getMessage())


def token_requests(sandbox: SandboxServer) -> int:
    return sandbox.counts.by_path("POST", f"/ccx/oauth2/{sandbox.config.tenant}/token")


@pytest.mark.parametrize("role", list(Priority))
def test_every_workday_request_of_every_service_takes_a_slot_with_the_process_priority(
    sandbox: SandboxServer, tmp_path: Path, role: Priority, caplog: pytest.LogCaptureFixture
) -> None:
    for logger in RETAKING:
        caplog.set_level(logging.DEBUG, logger)
    store = CountingStore()
    tenant = application(sandbox, tmp_path, store, role).tenants().get("sandbox")

    tenant.plan_membership()()  # the RaaS report
    tenant.list_content()()  # Learning: the WSDL, then the courses
    tenant.list_skills()()  # Talent: its WSDL, then the skills

    assert token_requests(sandbox) > 0
    sent = sandbox.counts.total("workday") - token_requests(sandbox)
    assert store.taken == Counter({("sandbox", role): sent + retakes(caplog)})
    tenant.shutdown_resources()
