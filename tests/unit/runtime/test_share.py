"""A worker's share of the sessions: every tenant can run at once, and no worker may take more than it needs to."""

from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.runtime.share import even_share, sessions_per_worker
from app.settings import RuntimeSettings
from domain.tenant_status import TenantProfile

UTC_ZONE = ZoneInfo("UTC")


@given(tenants=st.integers(0, 5000), workers=st.integers(1, 200))
def test_the_workers_shares_let_every_tenant_run_at_once_and_no_share_is_larger_than_that_needs(
    tenants: int, workers: int
) -> None:
    share = even_share(tenants, workers)

    assert share >= 1
    assert share * workers >= tenants
    assert share == 1 or (share - 1) * workers < tenants


@given(tenants=st.integers(0, 5000))
def test_with_no_worker_known_alive_the_caller_takes_every_tenant(tenants: int) -> None:
    assert even_share(tenants, 0) == even_share(tenants, 1) == max(tenants, 1)


def test_two_hundred_tenants_on_three_workers_are_sixty_seven_each() -> None:
    assert even_share(200, 3) == 67


@pytest.mark.parametrize(("tenants", "workers"), [(-1, 1), (1, -1)])
def test_a_negative_count_is_refused(tenants: int, workers: int) -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        even_share(tenants, workers)


def _tenants(served: int, paused: int) -> list[TenantProfile]:
    return [TenantProfile(f"t{n}", UTC_ZONE, paused=n >= served) for n in range(served + paused)]


@given(served=st.integers(0, 300), paused=st.integers(0, 50), alive=st.integers(1, 10))
def test_unset_the_share_counts_the_tenants_served_not_the_paused(served: int, paused: int, alive: int) -> None:
    workers = {f"w{n}" for n in range(alive)}
    assert sessions_per_worker(RuntimeSettings(), _tenants(served, paused), workers) == even_share(served, alive)


@given(fixed=st.integers(1, 100), served=st.integers(0, 300), alive=st.integers(1, 10))
def test_a_number_the_settings_fix_holds_whatever_the_tenants_and_workers(fixed: int, served: int, alive: int) -> None:
    workers = {f"w{n}" for n in range(alive)}
    runtime = RuntimeSettings(sessions_per_worker=fixed)
    assert sessions_per_worker(runtime, _tenants(served, 0), workers) == fixed
