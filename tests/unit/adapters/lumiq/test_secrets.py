"""The API key appears in no repr, error, failure or log record."""

from __future__ import annotations

import logging
from dataclasses import replace

import httpx
import pytest

from adapters.lumiq import LUMIQ_RETRY, LumiqUnavailable
from tests.unit.adapters.lumiq.scripted import API_KEY, ScriptedLumiq, a_worker, domain_member, refusal, registry_for


def test_the_registry_repr_shows_the_base_url_but_not_the_key() -> None:
    registry, _ = registry_for(ScriptedLumiq())

    assert API_KEY not in repr(registry)
    assert "127.0.0.1:8765/lumiq" in repr(registry)


def test_the_key_is_in_no_failure_even_when_lumiq_echoes_it() -> None:
    lumiq = ScriptedLumiq(refusal(401, "unauthorized", f"unknown API key {API_KEY}"))
    registry, _ = registry_for(lumiq)

    failure = registry.invite(a_worker(1)).failure()

    assert API_KEY not in failure
    assert "unknown API key **********" in failure


def test_the_key_is_in_no_error_and_no_log_record(caplog: pytest.LogCaptureFixture) -> None:
    lumiq = ScriptedLumiq(
        refusal(503, "unavailable", f"down for {API_KEY}"),
        httpx.ConnectError(f"refused {API_KEY}"),
        refusal(401, "unauthorized", f"unknown API key {API_KEY}"),
    )
    registry, _ = registry_for(lumiq, retry=replace(LUMIQ_RETRY, attempts=2))
    caplog.set_level(logging.DEBUG)

    with pytest.raises(LumiqUnavailable) as listing:
        list(registry.members())
    failure = registry.remove(domain_member(1)).failure()

    assert caplog.records
    seen = [str(listing.value), repr(listing.value), failure, *(r.getMessage() for r in caplog.records)]
    assert not [text for text in seen if API_KEY in text]
