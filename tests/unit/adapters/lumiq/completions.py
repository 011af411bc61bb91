"""LumiQ's completion feed, scripted: wire completions, feed pages and a completion source over them."""

from __future__ import annotations

import httpx
from pydantic import SecretStr

from adapters.lumiq import LumiqCompletionSource
from adapters.retries import RetryPolicy
from tests.unit.adapters.lumiq.scripted import API_KEY, BASE_URL, RecordedSleeps, ScriptedLumiq


def source_for(
    lumiq: ScriptedLumiq, page_size: int = 500, retry: RetryPolicy | None = None
) -> tuple[LumiqCompletionSource, RecordedSleeps]:
    sleeps = RecordedSleeps()
    client = httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(lumiq))
    source = LumiqCompletionSource(client, SecretStr(API_KEY), page_size=page_size, retry=retry, sleep=sleeps)
    return source, sleeps


def wire_completion(n: int = 1, **changes: object) -> dict[str, object]:
    completion: dict[str, object] = {
        "id": f"cmp_{n:08x}",
        "member": {"id": f"mem_{n:016x}", "employee_id": f"{21000 + n}", "workday_wid": f"{n:032x}"},
        "episode": {
            "id": "ep_1042",
            "title": "Revenue Recognition Under IFRS 15",
            "description": "How and when to recognise revenue from contracts with customers.",
            "field_of_study": "Accounting",
            "credits": "1.5",
        },
        "status": "passed",
        "completed_at": "2026-11-20T23:30:00-05:00",
        "revoked": False,
        "updated_at": "2026-11-21T04:30:05+00:00",
    }
    completion.update(changes)
    return completion


def with_episode(n: int = 1, **changes: object) -> dict[str, object]:
    completion = wire_completion(n)
    episode = dict(completion["episode"])  # type: ignore[call-overload]
    episode.update(changes)
    completion["episode"] = episode
    return completion


def feed_page(completions: list[dict[str, object]], cursor: str = "c_end", has_more: bool = False) -> httpx.Response:
    return httpx.Response(200, json={"data": completions, "cursor": cursor, "has_more": has_more})
