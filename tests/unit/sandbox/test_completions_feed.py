from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from sandbox import SandboxConfig, SandboxServer
from sandbox.lumiq.completions import initial_feed
from sandbox.lumiq.episodes import EPISODES
from sandbox.population import worker_by_employee_id
from tests.unit.sandbox.conftest import lumiq_headers


def _page(server: SandboxServer, client: httpx.Client, **params: str | int) -> dict[str, Any]:
    response = client.get(f"{server.lumiq_url}/v1/completions", params=params, headers=lumiq_headers(server))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_feed_is_read_page_by_page_in_order(sandbox: SandboxServer, client: httpx.Client) -> None:
    seen: list[dict[str, Any]] = []
    params: dict[str, str | int] = {"limit": 1000}
    while True:
        page = _page(sandbox, client, **params)
        seen += page["data"]
        params["after"] = page["cursor"]
        if not page["has_more"]:
            break
    assert [entry["id"] for entry in seen] == [entry.id for entry in sandbox.completions.feed()]
    stamps = [(datetime.fromisoformat(entry["updated_at"]), entry["id"]) for entry in seen]
    assert stamps == sorted(stamps)
    first = seen[0]
    assert set(first) == {"id", "member", "episode", "status", "completed_at", "revoked", "updated_at"}
    assert set(first["episode"]) == {"id", "title", "description", "field_of_study", "credits"}
    assert datetime.fromisoformat(first["completed_at"]).utcoffset() is not None


def test_the_last_cursor_resumes_with_what_changed_since(sandbox: SandboxServer, client: httpx.Client) -> None:
    everything = len(sandbox.completions.feed())
    cursor = _page(sandbox, client, limit=1000)["cursor"]
    cursor = _page(sandbox, client, limit=1000, after=cursor)["cursor"]
    last = _page(sandbox, client, limit=1000, after=cursor)
    assert last["has_more"] is False
    assert len(last["data"]) == everything - 2000
    nothing_new = _page(sandbox, client, after=last["cursor"])
    assert nothing_new == {"data": [], "cursor": last["cursor"], "has_more": False}
    passed = next(c for c in sandbox.completions.latest().values() if c.status == "passed" and not c.revoked)
    sandbox.completions.revoke(passed.id)
    added = sandbox.completions.add(passed.member, EPISODES[0])
    changes = _page(sandbox, client, after=last["cursor"])
    assert [(entry["id"], entry["revoked"]) for entry in changes["data"]] == [(passed.id, True), (added.id, False)]
    assert changes["has_more"] is False
    assert sandbox.completions.latest()[passed.id].revoked


@pytest.mark.parametrize(("params", "field"), [({"after": "garbage"}, "after"), ({"limit": 0}, "limit")])
def test_a_bad_cursor_or_limit_is_invalid(
    sandbox: SandboxServer, client: httpx.Client, params: dict[str, str | int], field: str
) -> None:
    response = client.get(f"{sandbox.lumiq_url}/v1/completions", params=params, headers=lumiq_headers(sandbox))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_the_feed_needs_the_organisation_key(sandbox: SandboxServer, client: httpx.Client) -> None:
    assert client.get(f"{sandbox.lumiq_url}/v1/completions").status_code == 401


def test_the_generated_feed_has_the_documented_mix() -> None:
    config = SandboxConfig(workers=1000)
    feed = initial_feed(config)
    latest = {entry.id: entry for entry in feed}
    assert len(latest) == config.completions == 2000
    assert feed == initial_feed(config)  # seeded
    statuses = Counter(entry.status for entry in latest.values())
    assert statuses["failed"] == 160  # 8%
    no_identity = [c for c in latest.values() if c.member.employee_id is None]
    assert len(no_identity) == 20  # 1%
    not_workers = [
        c
        for c in latest.values()
        if c.member.employee_id and worker_by_employee_id(config, c.member.employee_id) is None
    ]
    assert len(not_workers) == 10  # 0.5%
    assert sum(entry.revoked for entry in feed) == 10
    assert len({c.episode.id for c in latest.values()}) >= 24
    now = datetime.combine(config.today, time(12, 0), UTC)  # the sandbox clock starts at noon UTC on today
    assert all(timedelta(hours=1) <= now - c.completed_at <= timedelta(days=91) for c in latest.values())
    tenant = ZoneInfo(config.timezone)
    differs = [
        c for c in latest.values() if c.completed_at.astimezone(tenant).date() != c.completed_at.astimezone(UTC).date()
    ]
    assert len(differs) > 100
    offsets = {c.completed_at.utcoffset() for c in latest.values()}
    assert len(offsets) >= 6
