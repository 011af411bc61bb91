"""``wlc serve --workers N`` and its ``wlc deliver``: each process takes its share of each tenant's Learning API
budget, together within it, and the delivery process stops when asked or when its parent is gone."""

import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ConfigurationError
from app.http.serving import api_rate, check_rate_shares, deliver_until, delivery_rate, parent_gone, with_rate_limits
from app.sandbox_settings import sandbox_settings
from sandbox.config import SandboxConfig


@given(rate=st.integers(min_value=1, max_value=1000), workers=st.integers(min_value=1, max_value=64))
def test_the_api_processes_and_delivery_together_stay_within_the_rate_limit_or_are_refused(
    rate: int, workers: int
) -> None:
    each = api_rate(rate, workers)
    assert each >= 1
    if rate < workers + 1:
        with pytest.raises(ConfigurationError, match=f"raise the limit to {workers + 1}"):
            delivery_rate(rate, workers)
        return
    delivery = delivery_rate(rate, workers)
    assert delivery >= 1
    assert workers * each + delivery <= rate
    if rate >= 5 * workers:  # the API's fifth is enough for a request a second each
        assert delivery >= rate - rate // 5


def test_delivery_alone_takes_the_whole_limit_and_shares_follow_the_fifth() -> None:
    shares = [delivery_rate(10, 0), api_rate(10, 1), delivery_rate(10, 1), api_rate(10, 2), delivery_rate(10, 2)]
    assert shares == [10, 2, 8, 1, 8]
    assert (api_rate(5, 4), delivery_rate(5, 4)) == (1, 1)


def test_a_tenant_whose_limit_cannot_be_shared_is_named() -> None:
    settings = sandbox_settings("http://127.0.0.1:9", SandboxConfig(), "sqlite://")
    low = with_rate_limits(settings, lambda rate: 2)

    check_rate_shares(low, 1)
    refused = r"tenant 'sandbox': a learning\.rate_limit of 2 cannot be shared by 2"
    with pytest.raises(ConfigurationError, match=refused):
        check_rate_shares(low, 2)


def test_each_tenants_rate_limit_is_replaced_by_its_share() -> None:
    settings = sandbox_settings("http://127.0.0.1:9", SandboxConfig(), "sqlite://")
    tenant = settings.tenants["sandbox"]

    shared = with_rate_limits(settings, lambda rate: rate // 2)

    assert shared.tenants["sandbox"].learning.rate_limit == tenant.learning.rate_limit // 2
    assert shared.tenants["sandbox"].learning.model_dump(exclude={"rate_limit"}) == tenant.learning.model_dump(
        exclude={"rate_limit"}
    )


def test_the_parent_is_gone_once_the_process_has_another() -> None:
    parents = iter([40, 40, 1])
    gone = parent_gone(40, getppid=lambda: next(parents))

    assert [gone(), gone(), gone()] == [False, False, True]


def test_delivery_runs_until_it_is_done_then_stops_its_threads(tmp_path: Path) -> None:
    settings = sandbox_settings("http://127.0.0.1:9", SandboxConfig(), f"sqlite:///{tmp_path / 'l.db'}")
    asked: list[int] = []
    running: list[bool] = []

    def done() -> bool:
        asked.append(1)
        running.append(any(t.name.startswith("completion-outbox") for t in threading.enumerate()))
        return len(asked) == 3

    deliver_until(done, settings, api_workers=1, every=0)

    assert running == [True, True, True]
    assert not any(t.name.startswith("completion-outbox") for t in threading.enumerate())
