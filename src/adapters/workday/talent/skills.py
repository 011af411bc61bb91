"""The tenant's skill items, listed by the Talent service's ``Get_Skills`` page by page."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from adapters.retries import RetryPolicy, Sleep
from adapters.workday.soap.declaration import Feature
from adapters.workday.soap.names import VERSION_ATTRIBUTE, WID, Request, ids_of
from adapters.workday.soap.paging import all_items
from adapters.workday.talent import contract
from adapters.workday.talent.client import TalentClient
from adapters.workday.talent.names import INACTIVE, NAME, SKILL, SKILL_DATA, SKILL_ID_TYPE, SKILL_REFERENCE
from domain.errors import InvalidValue
from domain.learning_content import Named


class WorkdaySkills:
    """``skills()``: every active skill item of the tenant, each with its name, its ``Skill_ID`` when Workday
    gives one and its WID (by which a course refers to it). ``client`` gives the Talent client when first
    needed, so a tenant whose Talent service cannot be reached still publishes courses without skills. Raises
    the client's errors (``WsdlUnavailable`` when the Talent WSDL cannot be loaded, ``ContractMismatch`` when it
    lacks ``Get_Skills`` or a name of its answer)."""

    def __init__(
        self, client: Callable[[], TalentClient], *, retry: RetryPolicy | None = None, sleep: Sleep = time.sleep
    ) -> None:
        self._client = client
        self._retry = retry or RetryPolicy()
        self._sleep = sleep

    def skills(self) -> list[Named]:
        client = self._client()
        client.names.require(Feature.SKILLS, contract.GET_SKILLS)
        request: Request = {VERSION_ATTRIBUTE: client.version}
        items = all_items(client, contract.GET_SKILLS, request, SKILL, retry=self._retry, sleep=self._sleep)
        return [s for s in (skill(item) for item in items) if s is not None]


def skill(item: dict[str, Any]) -> Named | None:
    """An active ``Skill``; None for an inactive or nameless one, or one without an ID."""
    data = item.get(SKILL_DATA)
    data = data if isinstance(data, dict) else {}
    ids = ids_of(item.get(SKILL_REFERENCE))
    name = data.get(NAME)
    if data.get(INACTIVE) or not isinstance(name, str) or not (ids.get(WID) or ids.get(SKILL_ID_TYPE)):
        return None
    try:
        return Named(name, ids.get(SKILL_ID_TYPE), ids.get(WID))
    except InvalidValue:
        return None
