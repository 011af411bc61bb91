"""A scripted Learning service for the course, catalog and enrollment adapters' tests: each operation answers
from a queue of replies (plain dicts, as zeep's ``serialize_object`` gives them) or faults, and records the
keyword arguments it was called with. It stands in for zeep's service proxy behind ``LearningClient``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import zeep.exceptions
from lxml import etree

from adapters.retries import RetryPolicy
from adapters.workday.learning.client import LearningClient
from adapters.workday.learning.contract import LEARNING
from adapters.workday.soap.declaration import Service
from adapters.workday.soap.resolution import Resolution
from adapters.workday.talent.client import TalentClient
from adapters.workday.talent.contract import TALENT

WD = "urn:com.workday/bsvc"
NO_WAIT = RetryPolicy(attempts=3, backoff=0.0, max_wait=0.0, jitter=0.0, max_total_wait=1.0)

Reply = dict[str, Any] | Exception | Callable[[dict[str, Any]], dict[str, Any]]


class ScriptedService:
    def __init__(self) -> None:
        self.replies: dict[str, list[Reply]] = defaultdict(list)
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def answer(self, operation: str, *replies: Reply) -> None:
        self.replies[operation].extend(replies)

    def requests(self, operation: str) -> list[dict[str, Any]]:
        return [kwargs for name, kwargs in self.calls if name == operation]

    def __getattr__(self, operation: str) -> Callable[..., dict[str, Any]]:
        def call(**kwargs: Any) -> dict[str, Any]:
            self.calls.append((operation, kwargs))
            queue = self.replies[operation]
            reply = queue.pop(0) if len(queue) > 1 else queue[0]
            if isinstance(reply, Exception):
                raise reply
            return reply(kwargs) if callable(reply) else reply

        return call


def client_over(service: ScriptedService) -> LearningClient:
    return LearningClient(service, "v44.2", names=Resolution.as_declared(LEARNING, Service.LEARNING, "v44.2"))


def talent_over(service: ScriptedService) -> TalentClient:
    return TalentClient(service, "v44.2", names=Resolution.as_declared(TALENT, Service.TALENT, "v44.2"))


def ref(**ids: str) -> dict[str, Any]:
    return {"ID": [{"type": t, "_value_1": v} for t, v in ids.items()]}


def validation_fault(message: str, xpath: str) -> zeep.exceptions.Fault:
    detail = etree.fromstring(
        f'<detail><wd:Validation_Fault xmlns:wd="{WD}"><wd:Validation_Error><wd:Message>{message}</wd:Message>'
        f"<wd:Xpath>{xpath}</wd:Xpath></wd:Validation_Error></wd:Validation_Fault></detail>"
    )
    return zeep.exceptions.Fault(  # type: ignore[no-untyped-call]
        f"Validation error occurred. {message}", "SOAP-ENV:Client.validationError", detail=detail
    )


def page(item: str, items: list[dict[str, Any]], page: int, total_pages: int) -> dict[str, Any]:
    return {
        "Response_Results": {"Total_Pages": total_pages, "Page": page},
        "Response_Data": {item: items} if items else None,
    }
