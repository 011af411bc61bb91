from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
from hypothesis import given
from hypothesis import strategies as st

from sandbox import SandboxConfig, SandboxServer
from sandbox.faults.rate_limit import SandboxThrottle
from tests.unit.sandbox.learning_requests import isu_envelope, put_content


class _FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_window_slides() -> None:
    clock = _FakeClock()
    limiter = SandboxThrottle(3, clock)
    assert [limiter.accept("acme") for _ in range(4)] == [True, True, True, False]
    clock.now += 0.5
    assert not limiter.accept("acme")
    assert limiter.accept("other")  # per tenant
    clock.now += 0.5  # the first three are now a full second old
    assert [limiter.accept("acme") for _ in range(4)] == [True, True, True, False]
    assert limiter.busiest_window("acme") == 3
    assert limiter.refused("acme") == 3
    assert sum(limiter.accepted_per_second("acme").values()) == 6


def test_no_limit_accepts_everything() -> None:
    limiter = SandboxThrottle(None, _FakeClock())
    assert all(limiter.accept("acme") for _ in range(100))


def test_a_burst_from_several_threads_never_exceeds_the_limit_in_any_window() -> None:
    server = SandboxServer(SandboxConfig(workers=50, completions=0, soap_rate_limit=4)).start()
    try:
        body = isu_envelope(server, put_content("ep_1"))

        def post(_: int) -> httpx.Response:
            with httpx.Client(timeout=10) as client:
                return client.post(server.learning_url(), content=body)

        with ThreadPoolExecutor(8) as pool:
            responses = list(pool.map(post, range(40)))
    finally:
        server.stop(wait=False)
    statuses = [response.status_code for response in responses]
    refused = [response for response in responses if response.status_code == 429]
    assert set(statuses) <= {200, 429}
    assert refused
    assert all(response.headers["retry-after"] == "1" for response in refused)
    limiter = server.soap_limiter
    assert statuses.count(200) == len(limiter.accepted_times("acme"))
    assert limiter.busiest_window("acme") <= 4
    assert max(limiter.accepted_per_second("acme").values()) <= 4
    assert server.workday_learning.put_counts("content") == {"ep_1": statuses.count(200)}


@given(
    arrivals=st.lists(st.floats(min_value=0, max_value=5, allow_nan=False), max_size=60),
    limit=st.integers(min_value=1, max_value=6),
)
def test_arrivals_told_out_of_order_never_put_more_than_the_limit_in_any_window(
    arrivals: list[float], limit: int
) -> None:
    limiter = SandboxThrottle(limit, _FakeClock())
    told = [limiter.accept("acme", 1000.0 + moment) for moment in arrivals]

    assert limiter.busiest_window("acme") <= limit
    assert limiter.accepted_times("acme") == sorted(1000.0 + m for m, ok in zip(arrivals, told, strict=True) if ok)
    # Each refusal was needed: the window it would have overfilled still holds the limit.
    for moment, ok in zip(arrivals, told, strict=True):
        if not ok:
            assert _most_within_a_second_of(limiter.accepted_times("acme"), 1000.0 + moment) >= limit


def _most_within_a_second_of(times: list[float], moment: float) -> int:
    """The most of ``times`` in one window ``(t - 1 s, t]`` that also holds ``moment``: the windows ending at
    ``moment`` or at one of ``times`` less than a second after it."""
    ends = [moment, *(other for other in times if moment <= other < moment + 1)]
    return max(sum(1 for other in times if end - 1 < other <= end) for end in ends)


def test_a_request_handled_late_is_counted_when_it_arrived() -> None:
    clock = _FakeClock()
    limiter = SandboxThrottle(2, clock)
    clock.now = 1002.0  # the handlers run now, after their requests arrived
    assert limiter.accept("acme", 1000.0)
    assert limiter.accept("acme", 1001.5)
    assert limiter.accept("acme", 1000.6)  # arrived between the two: no window held more than 2
    assert not limiter.accept("acme", 1001.2)  # (0.6, 1.5] would hold 3
    assert limiter.accepted_times("acme") == [1000.0, 1000.6, 1001.5]
