"""A scripted LumiQ behind ``httpx.MockTransport``: answers requests in order from a script and records
them, so tests say exactly what LumiQ does and check exactly what the registry sent."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from pydantic import SecretStr

from adapters.lumiq import LumiqMemberRegistry
from adapters.retries import RetryPolicy
from domain.members import Member, MemberStatus
from domain.workers import Worker

API_KEY = "lq_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
BASE_URL = "http://127.0.0.1:8765/lumiq"
WID = "3aa5550b7fe348b98d7b5741afc65534"

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class ScriptedLumiq:
    def __init__(self, *script: Answer) -> None:
        self.script = list(script)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.script:
            raise AssertionError(f"LumiQ was not expecting {request.method} {request.url}")
        answer = self.script.pop(0)
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return answer(request)

    def bodies(self) -> list[Any]:
        return [json.loads(r.content) if r.content else None for r in self.requests]


class RecordedSleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def registry_for(
    lumiq: ScriptedLumiq, page_size: int = 500, retry: RetryPolicy | None = None
) -> tuple[LumiqMemberRegistry, RecordedSleeps]:
    sleeps = RecordedSleeps()
    client = httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(lumiq))
    registry = LumiqMemberRegistry(client, SecretStr(API_KEY), page_size=page_size, retry=retry, sleep=sleeps)
    return registry, sleeps


def wire_member(n: int = 1, **changes: object) -> dict[str, object]:
    member: dict[str, object] = {
        "id": f"mem_{n:016x}",
        "status": "active",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "workday_wid": f"{n:032x}",
        "employee_id": f"{21000 + n}",
        "invited_at": "2026-11-23T10:00:00+00:00",
        "removed_at": None,
    }
    member.update(changes)
    return member


def domain_member(n: int = 1, **changes: object) -> Member:
    fields: dict[str, object] = {
        "id": f"mem_{n:016x}",
        "status": MemberStatus.ACTIVE,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "wid": f"{n:032x}",
        "employee_id": f"{21000 + n}",
    }
    fields.update(changes)
    return Member(**fields)  # type: ignore[arg-type]


def a_worker(n: int = 1, email: str | None = "ada@example.com") -> Worker:
    return Worker(wid=f"{n:032x}", employee_id=f"{21000 + n}", first_name="Ada", last_name="Lovelace", email=email)


def page(members: list[dict[str, object]], next_cursor: str | None = None) -> httpx.Response:
    return httpx.Response(200, json={"data": members, "next_cursor": next_cursor})


def refusal(
    status: int, code: str, message: str, field: str | None = None, retry_after: str | None = None
) -> httpx.Response:
    error: dict[str, object] = {"code": code, "message": message}
    if field is not None:
        error["field"] = field
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    return httpx.Response(status, json={"error": error}, headers=headers)
