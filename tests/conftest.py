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


_LONGEST_FIRST = (
    "tests/e2e/test_readme.py",
    "tests/reliability/test_runtime_load.py",
    "tests/unit/http/test_openapi_fuzz.py",
    "tests/reliability/test_workers_die.py",
    "tests/contract/test_runtime_postgres.py",
    "tests/e2e/test_serve.py",
    "tests/reliability/test_tenants_fail_independently.py",
    "tests/reliability/test_workers_and_the_database.py",
)
"""The files of the longest tests (``pytest --durations``), handed out first: on two processes a long test that
starts last is what the whole run waits for."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return _LONGEST_FIRST.index(path) if path in _LONGEST_FIRST else len(_LONGEST_FIRST)

    items.sort(key=rank)  # stable: the rest keep their order
