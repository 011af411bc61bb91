"""The Talent service's ``Get_Skills``: the tenant's skill items, page by page, or those its
``Request_References`` name. Skill items are the ones a digital course may reference (``Skill_Reference``).

Sourced (evidence 2.7): the operation and its top level [W-GS32]; ``Skill_Reference`` with the ID types WID and
Skill_ID, ``Skill_Data`` with the attributes ``Name`` and ``Inactive`` [HR26, HRnew]. UNSOURCED: the item
element ``Skill`` in ``Response_Data``, and ``Skill_Data/ID`` holding the Skill_ID as HR's ``Skill_Item_Data``
does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from sandbox.workday.learning.courses import CatalogItem, CourseStore
from sandbox.workday.soap.endpoint import Call
from sandbox.workday.soap.envelopes import child, wd, workday_element
from sandbox.workday.soap.faults import validation_fault
from sandbox.workday.soap.paging import add_paging, page_of, page_request
from sandbox.workday.soap.references import add_reference, resolve

SKILL_ID = "Skill_ID"


@dataclass(frozen=True, slots=True)
class TalentContext:
    courses: CourseStore
    """The tenant's skill items live with its courses, which reference them."""
    now: datetime
    version: str


def talent_context(call: Call) -> TalentContext:
    return TalentContext(call.state.courses.tenant(call.tenant), call.now, call.version)


def get_skills(context: TalentContext, request: etree._Element) -> etree._Element:
    skills = context.courses
    references = request.find(wd("Request_References"))
    items: list[CatalogItem] = list(skills.skills)
    if references is not None:
        resolved = [
            resolve(reference, "Skill_Item", ("WID", SKILL_ID), skills.find_skill)
            for reference in references.iterfind(wd("Skill_Reference"))
        ]
        errors = [error for r in resolved for error in r.errors]
        if errors:
            raise validation_fault(*errors)
        items = [r.value for r in resolved if r.value is not None]
    paging = page_request(request.find(wd("Response_Filter")), context.now)
    page = page_of(items, paging)
    response = workday_element("Get_Skills_Response", context.version)
    add_paging(response, paging, len(items), len(page))
    response_data = child(response, "Response_Data")
    for skill in page:
        entry = child(response_data, "Skill")
        add_reference(entry, "Skill_Reference", [("WID", skill.wid), (SKILL_ID, skill.id)]).set(
            wd("Descriptor"), skill.name
        )
        data = child(entry, "Skill_Data")
        data.set(wd("Name"), skill.name)
        data.set(wd("Inactive"), "0")
        child(data, "ID", skill.id)
    return response


OPERATIONS = {wd("Get_Skills_Request"): get_skills}
