"""``wlc serve --workers N`` and its ``wlc deliver``: each process takes its share of each tenant's Learning API
budget, and together they stay within it."""

import os
import threading

from hypothesis import given
from hypothesis import strategies as st

from app.http.serving import api_rate, delivery_rate, stop_with_parent, with_rate_limits
from app.sandbox_settings import sandbox_settings
from sandbox.config import SandboxConfig


@given(rate=st.integers(min_value=1, max_value=1000), workers=st.integers(min_value=1, max_value=64))
def test_the_api_processes_and_delivery_together_stay_within_the_rate_limit_when_it_allows(
    rate: int, workers: int
) -> None:
    each, delivery = api_rate(rate, workers), delivery_rate(rate, workers)

    assert each >= 1
    assert delivery >= 1
    if rate >= workers + 1:  # a request a second for each process fits
        assert workers * each + delivery <= rate
    if rate >= 5 * workers:  # delivery never takes less than four fifths
        assert delivery >= rate * 4 // 5


def test_delivery_alone_takes_the_whole_limit_and_shares_follow_the_fifth() -> None:
    assert [delivery_rate(10, 0), api_rate(10, 1), delivery_rate(10, 1), api_rate(10, 2), delivery_rate(10, 2)] == [
        10,
        2,
        8,
        1,
        8,
    ]


def test_each_tenants_rate_limit_is_replaced_by_its_share() -> None:
    settings = sandbox_settings("http://127.0.0.1:9", SandboxConfig(), "sqlite://")
    tenant = settings.tenants["sandbox"]

    shared = with_rate_limits(settings, lambda rate: rate // 2)

    assert shared.tenants["sandbox"].learning.rate_limit == tenant.learning.rate_limit // 2
    assert shared.tenants["sandbox"].learning.model_dump(exclude={"rate_limit"}) == tenant.learning.model_dump(
        exclude={"rate_limit"}
    )


def test_the_delivery_process_stops_once_its_parent_is_gone() -> None:
    stop = threading.Event()

    watcher = stop_with_parent(stop, parent=os.getppid() + 1, every=0.001)  # a parent this process does not have

    assert stop.wait(timeout=30)
    watcher.join(timeout=30)
    assert not watcher.is_alive()
