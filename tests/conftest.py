"""Fixtures every test directory shares."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import settings

from adapters.workday.soap.schema_cache import SCHEMAS

settings.register_profile("wlc", deadline=None)
settings.load_profile("wlc")
"""No per-example deadline: tests check behaviour, never wall-clock time, and the suite shares two cores with
whatever else the machine runs (an example 200 ms late there is not a failure)."""

_OTHER_WSDLS = ("wsdl_variant", "workday_check")
"""Modules whose sandboxes serve WSDLs other than the sourced one."""


@pytest.fixture(autouse=True)
def _wsdls_parsed_for_this_test_only(request: pytest.FixtureRequest) -> Iterator[None]:
    """The process keeps one parsed WSDL per host and version, as a deployment may. A test's sandbox that serves
    another WSDL (a variant) must not leave it to a later sandbox on the same port, nor find one there."""
    varies = any(marker in request.node.nodeid for marker in _OTHER_WSDLS)
    if varies:
        SCHEMAS.forget()
    yield
    if varies:
        SCHEMAS.forget()


LONGEST_FIRST = (
    "tests/e2e/test_readme.py",
    "tests/e2e/test_serve.py",
    "tests/reliability/test_worker_cut_off.py",
    "tests/reliability/test_workers_die.py",
    "tests/contract/test_runtime_postgres.py",
    "tests/reliability/test_runtime_load.py",
    "tests/reliability/test_load.py",
    "tests/reliability/test_faults.py",
    "tests/reliability/test_killed.py",
    "tests/reliability/test_tenants_fail_independently.py",
    "tests/reliability/test_workers_and_the_database.py",
    "tests/e2e/test_runtime_sqlite.py",
    "tests/contract/test_budget_processes.py",
)
"""The modules whose tests take ten seconds or more (servers, workers, kills), longest first. ``make test`` hands
tests to its processes one at a time (pytest-xdist, ``--maxschedchunk 1``) in collection order: these first, so
the processes end together instead of one finishing a long test alone while the others idle."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {module: n for n, module in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.partition("::")[0], len(rank)))
