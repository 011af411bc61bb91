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
